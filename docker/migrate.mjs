// One-shot database migration inside an app image (compose `<service>-migrate`, Kubernetes Job
// `<service>-migrate`): applies the drizzle migrations in /app/drizzle to <SERVICE>_DATABASE_URL,
// the same work `pnpm db:migrate <service>` does from a checkout. The service comes from the
// image's package.json (@uitgo/<service>); exit status 0 when the schema is current.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@uitgo/kit';
import { loadServiceConfig, openServiceDatabase } from '@uitgo/kit/runtime';

const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const service = process.argv[2] ?? String(pkg.name).replace('@uitgo/', '');
const started = Date.now();
try {
  const { migrationsFolder } = await import('./dist/index.js');
  const config = loadServiceConfig(service);
  const database = await openServiceDatabase(config, {});
  try {
    await database.migrate({ migrationsFolder, schema: service });
  } finally {
    await database.close();
  }
  process.stdout.write(`${JSON.stringify({ level: 'info', service, msg: 'migrations applied', ms: Date.now() - started })}\n`);
} catch (err) {
  process.stderr.write(`${JSON.stringify({ level: 'error', service, msg: 'migration failed', err: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
}
