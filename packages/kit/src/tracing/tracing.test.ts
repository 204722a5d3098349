import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { CallContext } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, baseConfigSchema } from '../config.js';
import { newTraceId, requestContextOf, type RequestContext } from '../context.js';
import { eventContext } from '../events/eventTracing.js';
import type { DeliveredEvent } from '../events/eventBus.js';
import { MemoryEventBus } from '../events/memoryEventBus.js';
import { createGrpcClient, openChannel, type GrpcClient } from '../grpc/client.js';
import { enqueueEvents, OutboxRelay } from '../outbox/index.js';
import type { RunningService } from '../service.js';
import { createSqlDatabase } from '../sql/createSqlDatabase.js';
import type { SqlDatabase } from '../sql/sqlDatabase.js';
import { makeTraceable, tracedDb } from '../sql/sqlTracing.js';
import { kitTestMigrations, kitTestTables } from '../sql/test-fixtures/index.js';
import { startTestService, TestServiceDefinition } from '../testing/jsonService.js';
import { formatTraceParent, isW3cTraceId, parseTraceParent } from './traceParent.js';
import { startTracing, tracingEnabled, type RunningTracing } from './tracing.js';
import { tracingConfigSchema, tracingSettingsOf } from './tracingConfig.js';

describe('W3C traceparent', () => {
  it('reads and writes version 00', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(parseTraceParent(header)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(formatTraceParent(parseTraceParent(header)!)).toBe(header);
    expect(parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
  });

  it('rejects malformed, zero and version ff headers', () => {
    for (const bad of [undefined, '', 'nope', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
      expect(parseTraceParent(bad)).toBeUndefined();
    }
  });

  it('takes the 32-hex ids the gateway makes as trace ids, not free-form ones', () => {
    expect(isW3cTraceId(newTraceId())).toBe(true);
    expect(isW3cTraceId('trace-abc-123')).toBe(false);
  });
});

describe('tracing settings', () => {
  const settings = (env: Record<string, string>) => tracingSettingsOf(tracingConfigSchema.parse(env));

  it('is off without an endpoint', () => {
    expect(settings({}).enabled).toBe(false);
  });

  it('sends to <endpoint>/v1/traces once OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318/' })).toMatchObject({ enabled: true, tracesUrl: 'http://tempo:4318/v1/traces' });
  });

  it('reads the sampler and resource attributes, and honours the switches that turn it off', () => {
    const on = settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging' });
    expect(on).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: 0.1, resourceAttributes: { 'deployment.environment.name': 'staging' } });
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318', OTEL_TRACES_SAMPLER: 'always_off' }).enabled).toBe(false);
  });

  it('is validated with the rest of the configuration', () => {
    expect(() => loadConfig(baseConfigSchema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'tempo:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT is invalid/);
    expect(() => loadConfig(baseConfigSchema, { OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG is invalid/);
  });
});

const { widgets, outbox } = kitTestTables;

// Runs before the suite below turns tracing on.
describe('tracing off', () => {
  it('hands back the database handle itself, building nothing', () => {
    expect(tracingEnabled()).toBe(false);
    const db = {} as SqlDatabase['db'];
    makeTraceable(db, () => expect.fail('no traced handle is built while tracing is off'));
    expect(tracedDb(db, { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: true })).toBe(db);
  });
});

describe('spans with tracing on (gRPC, SQL on PGlite, outbox, bus)', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: RunningTracing | undefined;
  let database: SqlDatabase<typeof kitTestTables>;
  let service: RunningService;
  let client: GrpcClient<typeof TestServiceDefinition>;
  const bus = new MemoryEventBus();
  const handled: DeliveredEvent[] = [];

  beforeAll(async () => {
    tracing = await startTracing({ service: 'test', settings: tracingSettingsOf(tracingConfigSchema.parse({})), exporter });
    database = await createSqlDatabase({ kind: 'pglite' }, kitTestTables);
    await database.migrate(kitTestMigrations);
    await bus.subscribe({ groupId: 'tracing-test', topics: ['kit.test'], handle: async (events) => void handled.push(...events) });
    service = await startTestService('test', {
      // A use-case in miniature: one transaction writes a row and its event.
      async echo(request: Record<string, unknown>, context: CallContext) {
        const ctx = requestContextOf(context);
        await tracedDb(database.db, ctx).transaction(async (tx) => {
          const id = randomUUID();
          await tx.insert(widgets).values({ id, name: String(request.name), attributes: {}, createdAt: new Date() });
          const event = { id: randomUUID(), type: 'kit.test.v1.created', key: id, occurredAt: new Date().toISOString(), traceId: ctx.traceId, payload: { id } };
          await enqueueEvents(tx, outbox, 'kit.test', [event], ctx);
        });
        return { traceId: ctx.traceId, spanId: ctx.spanId ?? null, sampled: ctx.sampled ?? null };
      },
      async fail() {
        throw new Error('unused');
      },
      async slow() {
        return {};
      },
      async *watch() {},
    });
    client = createGrpcClient(TestServiceDefinition, openChannel(service.grpcAddress), { deadlineMs: 5_000 });
  });

  afterAll(async () => {
    await service?.stop();
    await bus.close();
    await database?.close();
    await tracing?.shutdown();
  });

  const spansOf = (traceId: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
  const named = (spans: ReadableSpan[], name: string | RegExp) => spans.find((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)));

  it('keeps one trace id from the client call through the handler to its SQL statements', async () => {
    const traceId = newTraceId();
    const answer = await client.echo({ name: 'w1' }, { context: { traceId } });

    const spans = spansOf(traceId);
    const clientSpan = spans.find((s) => s.name === 'uitgo.test.v1.TestService/Echo' && s.kind === SpanKind.CLIENT);
    const serverSpan = spans.find((s) => s.name === 'uitgo.test.v1.TestService/Echo' && s.kind === SpanKind.SERVER);
    expect(clientSpan?.parentSpanContext).toBeUndefined();
    expect(parentOf(serverSpan)).toBe(clientSpan!.spanContext().spanId);
    // The handler saw the server span as its context's span: what it calls nests under it.
    expect(answer).toEqual({ traceId, spanId: serverSpan!.spanContext().spanId, sampled: true });
    const transaction = named(spans, 'transaction');
    expect(parentOf(transaction)).toBe(serverSpan!.spanContext().spanId);
    const insertWidget = named(spans, /^INSERT "kit_test"\."widgets"/);
    const insertOutbox = named(spans, /^INSERT "kit_test"\."outbox"/);
    expect(parentOf(insertWidget)).toBe(transaction!.spanContext().spanId);
    expect(parentOf(insertOutbox)).toBe(transaction!.spanContext().spanId);
    expect(insertWidget!.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.operation.name': 'INSERT' });
    expect(String(insertWidget!.attributes['db.query.text'])).toContain('$1');
    expect(serverSpan!.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'Echo', 'rpc.grpc.status_code': 0 });
  });

  it('continues the trace through the outbox relay, the bus and the consumer', async () => {
    const traceId = newTraceId();
    await client.echo({ name: 'w2' }, { context: { traceId } });
    const relay = new OutboxRelay({ database, table: outbox, bus });
    await relay.flush();

    const spans = spansOf(traceId);
    const serverSpan = spans.find((s) => s.name === 'uitgo.test.v1.TestService/Echo' && s.kind === SpanKind.SERVER);
    const publish = named(spans, 'publish kit.test');
    const consume = named(spans, 'process kit.test');
    // Published later, by the relay, yet a child of the request span that enqueued the event.
    expect(parentOf(publish)).toBe(serverSpan!.spanContext().spanId);
    expect(publish!.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(consume)).toBe(publish!.spanContext().spanId);
    expect(consume!.attributes).toMatchObject({ 'messaging.system': 'memory', 'messaging.consumer.group.name': 'tracing-test' });
    // The handler gets the consumer span as the parent of what it does next.
    const delivered = handled.find((e) => e.traceId === traceId);
    expect(eventContext(delivered!)).toEqual({ traceId, spanId: consume!.spanContext().spanId, sampled: true });
  });

  it('makes no span for a trace id that is not W3C, nor for an unsampled trace, and still passes the decision on', async () => {
    const before = exporter.getFinishedSpans().length;
    await client.echo({ name: 'w3' }, { context: { traceId: 'trace-abc-123' } });
    const unsampled: RequestContext = { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: false };
    const answer = await client.echo({ name: 'w4' }, { context: unsampled });
    expect(answer).toEqual({ traceId: unsampled.traceId, spanId: '00f067aa0ba902b7', sampled: false });
    expect(exporter.getFinishedSpans()).toHaveLength(before);
  });
});
