import { spawnSync } from 'node:child_process';

// `pnpm test:remote`: the end-to-end suites that only speak HTTP and WebSocket, against the
// running platform at UITGO_BASE_URL (e.g. `docker compose`), logging in as its bootstrap admin.
// The other e2e suites need what only an in-process platform gives: their own settings
// (drivers: a 4 s freshness window; trip races: offer and dispatch timings, cheap password
// hashing), an event recorder on the bus (trip paths) or a second gateway replica (live updates).
const FILES = ['tests/e2e/identity.test.ts', 'tests/e2e/trips.test.ts'];

const missing = ['UITGO_BASE_URL', 'AUTH_BOOTSTRAP_ADMIN_EMAIL', 'AUTH_BOOTSTRAP_ADMIN_PASSWORD'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  process.stderr.write(
    `pnpm test:remote: set ${missing.join(', ')}: the platform's gateway URL and its bootstrap admin, e.g.\n` +
      '  UITGO_BASE_URL=http://127.0.0.1:8080 AUTH_BOOTSTRAP_ADMIN_EMAIL=admin@uitgo.local AUTH_BOOTSTRAP_ADMIN_PASSWORD=... pnpm test:remote\n',
  );
  process.exit(2);
}
const run = spawnSync('vitest', ['run', '--project', '@uitgo/tests', ...FILES, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
