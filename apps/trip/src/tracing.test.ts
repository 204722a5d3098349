import { randomUUID } from 'node:crypto';
import { newTraceId, SpanKind } from '@uitgo/kit';
import { startSpanRecorder, type ReadableSpan, type SpanRecorder } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPassenger, nextArea, onlineDriver, routeFrom } from './test/actors.js';
import { startEmbeddedTripService, type TripServiceHarness } from './test/harness.js';

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

describe('trip spans (embedded: PGlite, in-process bus)', () => {
  let recorder: SpanRecorder;
  let h: TripServiceHarness;
  // The recorder first: servers and clients add their tracing hooks only when tracing is on.
  beforeAll(async () => {
    recorder = await startSpanRecorder('trip');
    h = await startEmbeddedTripService();
  });
  afterAll(async () => {
    await h?.stop();
    await recorder?.stop();
  });

  it("nests a trip request's SQL, its call to the driver service and the outbox publish under its gRPC server span", async () => {
    const here = nextArea();
    await onlineDriver(h, here);
    const passenger = aPassenger();
    const traceId = newTraceId();
    await h.client.createTrip(
      { passengerId: passenger.userId, idempotencyKey: randomUUID(), source: { $case: 'route', value: routeFrom(here) } },
      { context: { traceId, caller: passenger } },
    );
    await h.service.runtime.outbox.flush();
    const spans = await recorder.settled(traceId, (found) => found.some((s) => s.name === 'publish uitgo.trip.v1'));
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'uitgo.trip.v1.TripService/CreateTrip')!;
    expect(server).toBeDefined();
    const replay = spans.find((s) => s.name === 'SELECT "trip"."trips"');
    expect(parentOf(replay)).toBe(idOf(server));
    const insert = spans.find((s) => s.name === 'INSERT "trip"."trips"');
    const transaction = spans.find((s) => s.name === 'transaction' && idOf(s) === parentOf(insert));
    expect(parentOf(transaction)).toBe(idOf(server));
    expect(parentOf(spans.find((s) => s.name === 'INSERT "trip"."outbox"'))).toBe(idOf(transaction!));
    // Surge supply comes from the driver service, in the same trace.
    const search = spans.find((s) => s.kind === SpanKind.CLIENT && s.name === 'uitgo.driver.v1.DriverService/SearchNearbyDrivers');
    expect(parentOf(search)).toBe(idOf(server));
    const publish = spans.find((s) => s.name === 'publish uitgo.trip.v1')!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(publish)).toBe(idOf(server));
  });
});
