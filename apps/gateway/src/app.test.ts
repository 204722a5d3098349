import { connect, type AddressInfo } from 'node:net';
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

  it('answers headers too large for the HTTP parser with the error body and a trace id', async () => {
    const server = await buildGateway({
      config: gatewayConfigSchema.parse({}),
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics('gateway', { defaults: false }),
      checks: {},
    });
    try {
      await server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = server.server.address() as AddressInfo;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`));
        let text = '';
        socket.on('data', (chunk) => (text += String(chunk)));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      const [head, body] = raw.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      const traceId = /x-trace-id: ([0-9a-f]{32})/.exec(head)?.[1];
      expect(JSON.parse(body)).toEqual({ code: 'HEADERS_TOO_LARGE', message: expect.any(String), traceId });
    } finally {
      await server.close();
    }
  });

  it('believes X-Forwarded-For only as far as TRUST_PROXY says', async () => {
    for (const refused of ['true', '100', '1.2.3', '10.0.0.0/33', 'proxy.local']) expect(gatewayConfigSchema.safeParse({ TRUST_PROXY: refused }).success, refused).toBe(false);
    expect(gatewayConfigSchema.parse({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.168.1.1']);
    const ipSeen = async (trustProxy: string | undefined) => {
      const server = await buildGateway({
        config: gatewayConfigSchema.parse(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }),
        logger: createLogger({ service: 'gateway', level: 'silent' }),
        metrics: createMetrics('gateway', { defaults: false }),
        checks: {},
      });
      server.get('/whoami', async (request) => ({ ip: request.ip }));
      const res = await server.inject({ method: 'GET', url: '/whoami', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' } });
      await server.close();
      return (res.json() as { ip: string }).ip;
    };
    // One ingress in front: the address it appended, not what the client claimed before it.
    expect(await ipSeen('1')).toBe('203.0.113.7');
    expect(await ipSeen('10.0.0.0/8')).toBe('203.0.113.7');
    expect(await ipSeen(undefined)).toBe('10.1.2.3');
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
    // The operator routes beyond API.md are listed too.
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/drivers/{id}/track', '/api/v1/users/{id}/documents', '/api/v1/users/{id}/verification-decisions', '/api/v1/.well-known/jwks.json']),
    );
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
