import { startEmbeddedPlatform } from '@uitgo/platform';

// `pnpm dev`: the whole platform in one process, data under .data/ (delete it to start afresh).
const port = Number(process.env.PORT ?? 8080);
const started = Date.now();
process.stdout.write('Starting UIT-Go in embedded mode (PGlite, in-process bus and stores, files in .data/) ...\n');
const platform = await startEmbeddedPlatform({ dataDir: process.env.DATA_DIR ?? '.data', port, logLevel: process.env.LOG_LEVEL ?? 'info' });
process.stdout.write(
  [
    '',
    `UIT-Go is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  API          ${platform.url}/api/v1`,
    `  Swagger UI   ${platform.url}/docs`,
    `  OpenAPI      ${platform.url}/docs/json`,
    `  Health       ${platform.url}/healthz  ${platform.url}/readyz`,
    `  Metrics      ${platform.url}/metrics`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('\nStopping ...\n');
    platform.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
