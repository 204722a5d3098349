import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newTraceId } from '../context.js';
import { describeReal, startSpanRecorder, type SpanRecorder } from '../testing/index.js';
import { waitUntil } from './eventBus.contract.js';
import type { DeliveredEvent } from './eventBus.js';
import { eventContext, tracePublish } from './eventTracing.js';
import { createKafkaEventBus, type KafkaEventBus } from './kafkaEventBus.js';

await describeReal('trace context over Kafka', ['kafka'], () => {
  let recorder: SpanRecorder;
  let bus: KafkaEventBus;

  beforeAll(async () => {
    recorder = await startSpanRecorder();
    bus = await createKafkaEventBus({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
      clientId: 'uitgo-kit-tracing-test',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      requestTimeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await bus?.close();
    await recorder?.stop();
  });

  it('carries the publish span as the traceparent header; the consumer span continues from it', async () => {
    const topic = `tracing-${randomUUID().slice(0, 8)}`;
    await bus.ensureTopics([topic], 1);
    const delivered: DeliveredEvent[] = [];
    await bus.subscribe({ groupId: `tracing-${randomUUID().slice(0, 8)}`, topics: [topic], handle: async (events) => void delivered.push(...events) });

    const traceId = newTraceId();
    const event = { id: randomUUID(), type: 'trip.v1.requested', key: 'trip-1', occurredAt: new Date().toISOString(), traceId, payload: {} };
    const traced = tracePublish(topic, [event])!;
    await bus.publish(topic, traced.events);
    traced.end();
    await waitUntil(() => delivered.length > 0, 20_000, 'the delivered event');

    const publish = recorder.spansOf(traceId).find((s) => s.kind === SpanKind.PRODUCER);
    await waitUntil(() => recorder.spansOf(traceId).some((s) => s.kind === SpanKind.CONSUMER), 5_000, 'the consumer span');
    const consume = recorder.spansOf(traceId).find((s) => s.kind === SpanKind.CONSUMER);
    expect(consume?.parentSpanContext?.spanId).toBe(publish!.spanContext().spanId);
    expect(consume?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': topic });
    expect(eventContext(delivered[0]!)).toEqual({ traceId, spanId: consume!.spanContext().spanId, sampled: true });
    expect(delivered[0]).toMatchObject({ id: event.id, traceId });
  });
});
