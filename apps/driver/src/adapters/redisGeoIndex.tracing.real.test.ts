import { randomUUID } from 'node:crypto';
import { newTraceId, SpanKind } from '@uitgo/kit';
import { describeReal, startSpanRecorder, type SpanRecorder } from '@uitgo/kit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropKeys } from '../test/redisKeys.js';
import type { RedisTarget } from './redisConnection.js';
import { RedisGeoIndex } from './redisGeoIndex.js';

await describeReal('RedisGeoIndex spans', ['redis'], () => {
  let recorder: SpanRecorder;
  let index: RedisGeoIndex;
  const target: RedisTarget = { kind: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6390' };
  const prefix = `uitgo-test:geo:${randomUUID()}:`;

  beforeAll(async () => {
    recorder = await startSpanRecorder('driver');
    index = await RedisGeoIndex.connect(target, { keyPrefix: prefix });
  });

  afterAll(async () => {
    await index?.close();
    await dropKeys(target, prefix);
    await recorder?.stop();
  });

  it("records each operation as one Redis client span of the request's span", async () => {
    const context = { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: true };
    const driverId = randomUUID();
    const tripId = randomUUID();
    await index.setDriver(driverId, { vehicleType: 'car4', availability: 'available', tripId: null, version: 1 }, context);
    await index.upsert([{ driverId, lat: 10.77, lng: 106.7, recordedAt: new Date() }], context);
    await expect(index.nearest({ lat: 10.77, lng: 106.7, radiusM: 500, limit: 5 }, context)).resolves.toHaveLength(1);
    const offer = { pickup: { lat: 10.77, lng: 106.7 }, dropoff: { lat: 10.78, lng: 106.71 }, fare: { amount: 30_000, currency: 'VND' } };
    await index.reserve({ driverId, tripId, reservationId: randomUUID(), ttlMs: 10_000, offer }, context);
    await expect(index.release(driverId, { tripId }, context)).resolves.toBe(true);

    const spans = recorder.spansOf(context.traceId);
    expect(spans.map((s) => s.name)).toEqual(['EVALSHA setDriver', 'EVALSHA upsert', 'EVALSHA nearest', 'EVALSHA reserve', 'EVALSHA release']);
    for (const span of spans) {
      expect(span).toMatchObject({ kind: SpanKind.CLIENT, parentSpanContext: { spanId: context.spanId }, attributes: { 'db.system': 'redis', 'db.operation.name': 'EVALSHA' } });
    }
  });
});
