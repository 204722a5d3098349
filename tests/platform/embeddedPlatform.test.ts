import { startEmbeddedPlatform, type EmbeddedPlatform } from '@uitgo/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('embedded platform (pnpm dev)', () => {
  let platform: EmbeddedPlatform;

  beforeAll(async () => {
    platform = await startEmbeddedPlatform({ dataDir: 'memory://', port: 0, servicePorts: 'ephemeral', logLevel: 'warn' });
  });
  afterAll(() => platform?.stop());

  it('is ready once every service answers its gRPC health check', async () => {
    const res = await fetch(`${platform.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { 'auth-service': 'ok', 'user-service': 'ok', 'driver-service': 'ok', 'trip-service': 'ok' },
    });
  });

  it('serves the API document and the error body conventions', async () => {
    const doc = (await (await fetch(`${platform.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/auth/register');
    const missing = await fetch(`${platform.url}/api/v1/unknown`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { code: string; traceId: string };
    expect(body.code).toBe('ROUTE_NOT_FOUND');
    expect(missing.headers.get('x-trace-id')).toBe(body.traceId);
  });

  it('has applied each service\'s migrations into its own schema of the shared PGlite', async () => {
    const { rows } = await platform.shared.pglite.query<{ schema_name: string }>(
      "select schema_name from information_schema.schemata where schema_name in ('auth','user','driver','trip') order by 1",
    );
    expect(rows.map((r) => r.schema_name)).toEqual(['auth', 'driver', 'trip', 'user']);
  });
});
