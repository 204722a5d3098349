import {
  AppError,
  createGrpcClient,
  createLogger,
  createMetrics,
  openChannel,
  requestContextOf as callContextOf,
  SpanKind,
  type GrpcClient,
  type RunningService,
} from '@uitgo/kit';
import { createKeyValueStore, type KeyValueStore } from '@uitgo/kit/kv';
import { createSqlDatabase, tracedDb, type SqlDatabase } from '@uitgo/kit/sql';
import { describeReal, startSpanRecorder, startTestService, TestServiceDefinition, type ReadableSpan, type SpanRecorder } from '@uitgo/kit/testing';
import type { FastifyInstance } from 'fastify';
import type { CallContext } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../app.js';
import { gatewayConfigSchema } from '../config.js';
import { requestContextOf } from './traceContext.js';

const recorder: SpanRecorder = await startSpanRecorder('gateway');

/** Spans end as their work settles (the HTTP one after the response is sent): poll with a deadline. */
async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
afterAll(() => recorder.stop());

interface Stores {
  database: SqlDatabase;
  kv?: KeyValueStore;
}

/**
 * The gateway in front of a kit gRPC service whose handler reads the database (and Redis), then
 * fails with a domain error: the path of every request, with tracing on.
 */
function traceScenario(open: () => Promise<Stores>) {
  let stores: Stores;
  let service: RunningService;
  let client: GrpcClient<typeof TestServiceDefinition>;
  let app: FastifyInstance;

  beforeAll(async () => {
    stores = await open();
    service = await startTestService('trip', {
      async fail(request: Record<string, unknown>, context: CallContext) {
        const ctx = callContextOf(context);
        await tracedDb(stores.database.db, ctx).execute('select 1 as found');
        await stores.kv?.get(`tracing:${String(request.tripId)}`, { context: ctx });
        throw new AppError('TRIP_NOT_FOUND', `Trip ${String(request.tripId)} not found`);
      },
      async echo() {
        return {};
      },
      async slow() {
        return {};
      },
      async *watch() {},
    });
    client = createGrpcClient(TestServiceDefinition, openChannel(service.grpcAddress), { deadlineMs: 5_000 });
    app = await buildGateway({
      config: gatewayConfigSchema.parse({ NODE_ENV: 'test' }),
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: createMetrics('gateway', { defaults: false }),
      checks: {},
    });
    app.get('/test/trips/:tripId', async (request) => {
      const { tripId } = request.params as { tripId: string };
      return client.fail({ tripId }, { context: requestContextOf(request) });
    });
  });

  afterAll(async () => {
    await app?.close();
    await service?.stop();
    await stores?.kv?.close();
    await stores?.database.close();
  });

  it('records one trace, under the error body trace id, from the HTTP request to the handler\'s queries', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/trips/t-42' });
    expect(res.statusCode).toBe(404);
    const { traceId } = res.json<{ code: string; traceId: string }>();
    expect(res.json()).toMatchObject({ code: 'TRIP_NOT_FOUND' });
    expect(res.headers['x-trace-id']).toBe(traceId);

    const expected = stores.kv ? 5 : 4;
    await eventually(() => recorder.spansOf(traceId).length >= expected);
    const spans = recorder.spansOf(traceId);
    const one = (kind: SpanKind, name: string | RegExp) => {
      const found = spans.filter((s) => s.kind === kind && (typeof name === 'string' ? s.name === name : name.test(s.name)));
      expect(found, `${SpanKind[kind]} ${String(name)}`).toHaveLength(1);
      return found[0]!;
    };
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const idOf = (span: ReadableSpan) => span.spanContext().spanId;

    const http = one(SpanKind.SERVER, 'GET /test/trips/:tripId');
    const rpcClient = one(SpanKind.CLIENT, 'uitgo.test.v1.TestService/Fail');
    const rpcServer = one(SpanKind.SERVER, 'uitgo.test.v1.TestService/Fail');
    const query = one(SpanKind.CLIENT, /^SELECT/);
    expect(http.parentSpanContext).toBeUndefined();
    expect(http.attributes).toMatchObject({ 'http.route': '/test/trips/:tripId', 'http.response.status_code': 404 });
    expect(parentOf(rpcClient)).toBe(idOf(http));
    expect(parentOf(rpcServer)).toBe(idOf(rpcClient));
    expect(rpcServer.attributes).toMatchObject({ 'rpc.grpc.status_code': 5 });
    expect(parentOf(query)).toBe(idOf(rpcServer));
    expect(query.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.query.text': 'select 1 as found' });
    if (stores.kv) {
      const redis = one(SpanKind.CLIENT, 'GET');
      expect(parentOf(redis)).toBe(idOf(rpcServer));
      expect(redis.attributes).toMatchObject({ 'db.system': 'redis', 'db.operation.name': 'GET' });
    }
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
  });

  it("continues a caller's traceparent, keeping its trace id as the request's", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await app.inject({ method: 'GET', url: '/test/trips/t-43', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.json()).toMatchObject({ code: 'TRIP_NOT_FOUND', traceId });
    await eventually(() => recorder.spansOf(traceId).some((s) => s.kind === SpanKind.SERVER && s.name.startsWith('GET ')));
    const http = recorder.spansOf(traceId).find((s) => s.kind === SpanKind.SERVER && s.name.startsWith('GET '));
    expect(http?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
}

describe('tracing: gateway -> gRPC -> SQL (PGlite)', () => {
  traceScenario(async () => ({ database: await createSqlDatabase({ kind: 'pglite' }) }));
});

await describeReal('tracing: gateway -> gRPC -> PostgreSQL (postgres.js) and Redis', ['postgres', 'redis'], () => {
  traceScenario(async () => ({
    database: await createSqlDatabase({ kind: 'postgres', url: process.env.POSTGRES_URL!, maxConnections: 1 }),
    kv: await createKeyValueStore({ kind: 'redis', url: process.env.REDIS_URL!, keyPrefix: 'test:' }),
  }));
});
