import { ConfigError } from '@uitgo/kit';
import { loadServiceConfig, openServiceDatabase, type ServiceName } from '@uitgo/kit/runtime';
import { migrationsFolder as authMigrations } from '@uitgo/auth';
import { migrationsFolder as driverMigrations } from '@uitgo/driver';
import { migrationsFolder as tripMigrations } from '@uitgo/trip';
import { migrationsFolder as userMigrations } from '@uitgo/user';

// `pnpm db:migrate [service ...]`: applies each service's drizzle migrations to its own database
// (real mode: <SERVICE>_DATABASE_URL; embedded mode: PGlite under DATA_DIR).
const folders: Record<ServiceName, string> = { auth: authMigrations, user: userMigrations, driver: driverMigrations, trip: tripMigrations };
const wanted = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(folders)) as ServiceName[];

try {
  for (const service of wanted) {
    if (!(service in folders)) throw new ConfigError(`Unknown service "${service}"; choose from ${Object.keys(folders).join(', ')}`);
    const config = loadServiceConfig(service);
    const started = Date.now();
    process.stdout.write(`[migrate] ${service} (${config.mode}) ... `);
    const database = await openServiceDatabase(config, {});
    try {
      await database.migrate({ migrationsFolder: folders[service], schema: service });
    } finally {
      await database.close();
    }
    process.stdout.write(`done in ${Date.now() - started} ms\n`);
  }
} catch (err) {
  process.stdout.write('\n');
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
