import { createLogger, createMetrics } from '@uitgo/kit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './app.js';
import { gatewayConfigSchema } from './config.js';

describe('gateway edge conventions', () => {
  let app: FastifyInstance;
  let backendUp = true;

  beforeAll(async () => {
    app = await buildGateway({
      config: gatewayConfigSchema.parse({ CORS_ORIGINS: 'https://app.uitgo.example' }),
      logger: createLogger({ service: 'gateway', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      metrics: createMetrics('gateway', { defaults: false }),
      checks: {
        'trip-service': async () => {
          if (!backendUp) throw new Error('connection refused');
        },
      },
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers an unknown route with the error body and the trace id in header and body', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-trace-id': 'client-trace-0001' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-trace-id']).toBe('client-trace-0001');
    expect(res.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: expect.stringContaining('/api/v1/nope'), traceId: 'client-trace-0001' });
  });

  it('replaces a malformed trace id with a fresh one', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-trace-id': 'bad id\nwith newline' } });
    expect(res.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(res.json().traceId).toBe(res.headers['x-trace-id']);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), paths: expect.objectContaining({ '/api/v1/trips': expect.any(Object) }) });
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
  });

  it('reports readiness from its dependencies', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    backendUp = true;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    backendUp = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', checks: { 'trip-service': 'connection refused' } });
  });

  it('sends security headers and CORS only for configured origins', async () => {
    const allowed = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://app.uitgo.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.uitgo.example');
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    const other = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
