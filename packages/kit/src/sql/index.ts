export type { Db, DbOrTx, MigrateOptions, SqlDatabase, SqlDatabaseOptions, SqlLock, Tx } from './sqlDatabase.js';
export { createSqlDatabase, openSharedPglite } from './createSqlDatabase.js';
export { createPostgresDatabase, type PostgresDatabaseOptions } from './postgresDatabase.js';
export { executeRows } from './executeRows.js';
export { preparedQuery, tracedDb } from './sqlTracing.js';
export { BuiltStatements, fieldsOf, placeholderOf } from './builtStatements.js';
