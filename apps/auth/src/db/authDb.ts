import type { Db } from '@uitgo/kit/sql';
import type * as schema from './schema.js';

/** The drizzle handle of the auth database (real Postgres or PGlite). */
export type AuthDb = Db<typeof schema>;
