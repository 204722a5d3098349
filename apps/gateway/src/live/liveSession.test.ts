import { randomUUID } from 'node:crypto';
import { createLogger, createMetrics } from '@uitgo/kit';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier } from '../auth/accessTokenVerifier.js';
import { Authenticator } from '../auth/authenticator.js';
import { JwksKeySet } from '../auth/jwksKeySet.js';
import { RevokedSessions } from '../auth/revokedSessions.js';
import { registerErrorHandling } from '../http/errorHandler.js';
import { registerTraceContext, traceIdOf } from '../http/traceContext.js';
import { connectLive } from '../test/liveClient.js';
import { TokenIssuer } from '../test/tokenIssuer.js';
import { ConnectionRegistry } from './connectionRegistry.js';
import { registerLiveRoute } from './liveRoute.js';
import { LocationStream } from './locationStream.js';

const logger = createLogger({ service: 'test', level: 'silent' });

/** The live route alone, with a location stream that never opens: its bounded buffer fills up. */
describe('live session back-pressure', () => {
  let app: FastifyInstance;
  let issuer: TokenIssuer;
  let locations: LocationStream;
  const kv = new MemoryKeyValueStore();

  beforeAll(async () => {
    issuer = await TokenIssuer.create();
    app = Fastify({ genReqId: traceIdOf });
    app.decorateRequest('caller', undefined);
    registerTraceContext(app);
    registerErrorHandling(app, createMetrics('test', { defaults: false }));
    const keys = new JwksKeySet(async () => issuer.jwks(), { refreshIntervalMs: 60_000, minRefetchIntervalMs: 0, logger });
    const verifier = new AccessTokenVerifier(keys, { issuer: 'uitgo-auth', audience: 'uitgo-api', maxTtlS: 900 });
    // Never started: nothing drains the buffer.
    const client = {} as ConstructorParameters<typeof LocationStream>[0];
    locations = new LocationStream(client, { maxBuffered: 2, rotateMs: 60_000, backoff: { initialMs: 10, maxMs: 10 }, logger });
    await registerLiveRoute(
      app,
      {
        authenticator: new Authenticator(verifier, new RevokedSessions(kv, 60_000)),
        registry: new ConnectionRegistry(),
        locations,
        fixWindow: { maxFutureSkewMs: 5_000, maxAgeMs: 120_000 },
        logger,
        authTimeoutMs: 1_000,
        recheckMs: 60_000,
        dropNoticeIntervalMs: 100,
      },
      { maxFrameBytes: 1_024 },
    );
    await app.ready();
  });
  afterAll(() => app?.close());

  it('tells the driver when frames are dropped, at most one notice per interval with the count', async () => {
    const token = await issuer.sign({ sub: randomUUID(), role: 'driver', sid: randomUUID() });
    const c = await connectLive(app, `?access_token=${token}`);
    await c.next('ready');
    const frame = { type: 'location', lat: 10.8, lng: 106.7, recordedAt: new Date().toISOString() };
    c.send(frame);
    c.send(frame);
    c.send(frame);
    expect(await c.next('error')).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^1 location frame\(s\) dropped/) });
    c.send(frame);
    c.send(frame);
    c.send({ type: 'ping' });
    await c.next('pong');
    expect(c.frames.filter((f) => f.type === 'error')).toHaveLength(1);
    expect(await c.next('error')).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^2 location frame\(s\) dropped/) });
    expect([locations.buffered, locations.stats.dropped]).toEqual([2, 3]);
    expect(c.closed).toBeUndefined();
    c.ws.close();
  });

  it('a frame larger than the limit closes the connection with 1009', async () => {
    const token = await issuer.sign({ sub: randomUUID(), role: 'driver', sid: randomUUID() });
    const c = await connectLive(app, `?access_token=${token}`);
    await c.next('ready');
    c.send({ type: 'ping', pad: 'x'.repeat(2_000) });
    expect((await c.waitClosed()).code).toBe(1009);
  });
});
