import { defineRoute } from '@uitgo/contracts';
import { createLogger, createMetrics } from '@uitgo/kit';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AccessTokenVerifier } from '../auth/accessTokenVerifier.js';
import { Authenticator } from '../auth/authenticator.js';
import { JwksKeySet } from '../auth/jwksKeySet.js';
import { RevokedSessions } from '../auth/revokedSessions.js';
import { TokenIssuer } from '../test/tokenIssuer.js';
import { registerErrorHandling } from './errorHandler.js';
import { IdempotencyKeys } from './idempotency.js';
import { RateLimiter } from './rateLimiter.js';
import { registerRoute } from './registerRoute.js';
import { registerTraceContext, traceIdOf } from './traceContext.js';

const createWidget = defineRoute({
  operationId: 'createWidget',
  method: 'POST',
  path: '/widgets',
  summary: 'A route of the future, e.g. POST /trips',
  tags: ['trips'],
  auth: ['driver'],
  idempotencyKey: 'required',
  body: z.strictObject({ name: z.string().min(1) }),
  responses: { 201: z.object({ id: z.string(), name: z.string() }) },
  errors: [],
});

const closeWidget = defineRoute({
  operationId: 'closeWidget',
  method: 'POST',
  path: '/widgets/:id/close',
  summary: 'A route whose body may be left out, e.g. POST /trips/{id}/cancel',
  tags: ['trips'],
  auth: ['driver'],
  params: z.object({ id: z.string() }),
  body: z.strictObject({ reason: z.string().min(1).optional() }).optional(),
  responses: { 200: z.object({ id: z.string(), reason: z.string().nullable() }) },
  errors: [],
});

describe('route framework', () => {
  let app: FastifyInstance;
  let issuer: TokenIssuer;
  let runs = 0;
  const kv = new MemoryKeyValueStore();

  beforeAll(async () => {
    issuer = await TokenIssuer.create();
    app = Fastify({ genReqId: traceIdOf });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorateRequest('caller', undefined);
  app.decorateRequest('verifiedToken', undefined);
    registerTraceContext(app);
    registerErrorHandling(app, createMetrics('test', { defaults: false }));
    const keys = new JwksKeySet(async () => issuer.jwks(), {
      refreshIntervalMs: 60_000,
      minRefetchIntervalMs: 0,
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    const verifier = new AccessTokenVerifier(keys, { issuer: 'uitgo-auth', audience: 'uitgo-api', maxTtlS: 900 });
    const services = {
      authenticator: new Authenticator(verifier, new RevokedSessions(kv, 900_000)),
      rateLimiter: new RateLimiter(kv),
      idempotency: new IdempotencyKeys(kv, { ttlMs: 60_000, waitMs: 1_000 }),
      limits: { public: { max: 100, windowMs: 60_000 }, signedIn: { max: 100, windowMs: 60_000 } },
      bodyLimit: 1_024,
    };
    registerRoute(app, services, closeWidget, async ({ params, body }) => ({ id: params.id, reason: body?.reason ?? null }));
    registerRoute(
      app,
      services,
      createWidget,
      async ({ body, caller }) => {
        runs++;
        // A mapper bug: a response that breaks the contract must not reach clients silently.
        if (body.name === 'broken') return { id: 1, name: body.name } as never;
        return { id: `${caller.userId}-${runs}`, name: body.name };
      },
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await kv.close();
  });

  const token = (role: 'driver' | 'passenger') => issuer.sign({ sub: `${role}-1`, role, sid: `${role}-session` });
  const post = async (role: 'driver' | 'passenger', payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/widgets',
      payload: payload as object,
      headers: { authorization: `Bearer ${await token(role)}`, ...headers },
    });

  it('refuses a role outside descriptor.auth with 403 before reading the body', async () => {
    const res = await post('passenger', { name: 'x'.repeat(10_000) }, { 'idempotency-key': 'k' });
    expect([res.statusCode, res.json().code]).toEqual([403, 'FORBIDDEN']);
  });

  it('requires the Idempotency-Key when the descriptor says so, then replays by key', async () => {
    const missing = await post('driver', { name: 'w' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.fields).toEqual([{ path: 'headers.idempotency-key', message: 'required' }]);
    const before = runs;
    const first = await post('driver', { name: 'w' }, { 'idempotency-key': 'key-1' });
    const again = await post('driver', { name: 'w' }, { 'idempotency-key': 'key-1' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.body).toBe(first.body);
    expect(runs).toBe(before + 1);
  });

  it('takes a request without a body where the body is optional, and still validates one that is sent', async () => {
    const headers = { authorization: `Bearer ${await token('driver')}` };
    const bare = await app.inject({ method: 'POST', url: '/api/v1/widgets/w1/close', headers });
    expect([bare.statusCode, bare.json()]).toEqual([200, { id: 'w1', reason: null }]);
    const given = await app.inject({ method: 'POST', url: '/api/v1/widgets/w1/close', headers, payload: { reason: 'done' } });
    expect([given.statusCode, given.json()]).toEqual([200, { id: 'w1', reason: 'done' }]);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/widgets/w1/close', headers, payload: { reason: '' } });
    expect([bad.statusCode, bad.json().details.fields[0].path]).toEqual([400, 'body.reason']);
  });

  it('checks responses against the contract outside production (a broken mapper is a 500, logged)', async () => {
    const res = await post('driver', { name: 'broken' }, { 'idempotency-key': 'key-broken' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL');
  });
});
