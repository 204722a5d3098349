import { fileURLToPath } from 'node:url';
import type { MigrateOptions } from '../sqlDatabase.js';
import * as kitTestTables from './schema.js';

export { kitTestTables };
export type KitTestTables = typeof kitTestTables;

/** The fixture schema's drizzle-kit migrations (regenerate with `drizzle.config.ts` beside this file). */
export const kitTestMigrations: MigrateOptions = {
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  schema: 'kit_test',
};
