import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '@uitgo/kit/objects';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi, type MockInstance } from 'vitest';
import { receiptConsumer } from '../consumers/receipt.consumer.js';
import * as schema from '../db/schema.js';
import type { DriverDirectory } from '../ports/driverDirectory.js';
import { receiptKey } from '../receipts/receiptKeys.js';
import { snapshotEvent } from '../useCases/deps.js';
import type { TripServiceHarness } from './harness.js';
import { aRide, delivered, running } from './rideEvents.js';

/**
 * The driver service as the receipt consumer sees it (it only asks for the vehicle). Each lookup
 * waits until `together` lookups are waiting: that many deliveries are past the stored-receipt check.
 */
function vehicleLookups(together = 1): DriverDirectory {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const vehicle = async () => {
    if (++waiting >= together) release();
    await all;
    return { vehicleType: 'car4' as const, plateNumber: '51F-12345', vehicleModel: 'Toyota Vios' };
  };
  return { vehicle } as unknown as DriverDirectory;
}

/** `trip.v1.completed` delivered again, and twice at once, to the receipt consumer on the service's trips-db and object store. */
export function receiptRedeliveryScenarios(harness: () => TripServiceHarness) {
  let put: MockInstance<ObjectStore['put']>;
  beforeAll(() => {
    put = vi.spyOn(harness().parts.deps.objects, 'put');
  });
  afterAll(() => put?.mockRestore());

  /** A completed ride in trips-db. Its lifecycle events are never published, so only the test's deliveries reach a consumer. */
  async function completedRide() {
    const { trips } = harness().parts.deps;
    const ride = aRide();
    const dispatch = { claim: randomUUID(), leaseUntil: new Date(Date.now() + 60_000) };
    await trips.create(ride.requested, { key: randomUUID(), requestHash: 'test', cell: 'test' }, snapshotEvent('trip.v1.requested', ride.requested, {}), dispatch);
    expect(await trips.apply({ trip: { next: ride.completed, expectedVersion: ride.requested.version, dispatchDueAt: null } })).toEqual({ ok: true });
    return ride;
  }

  /** What is stored for the ride: its receipt rows, the object and how often the object was written. */
  async function receiptOf(tripId: string) {
    const h = harness();
    const rows = await h.db.select().from(schema.receipts).where(eq(schema.receipts.tripId, tripId));
    const object = await h.parts.deps.objects.get(receiptKey(tripId));
    const writes = put.mock.calls.filter(([key]) => key === receiptKey(tripId)).length;
    return { rows, object, writes };
  }

  it('stores one receipt object and one row when trip.v1.completed is delivered again, or twice in one batch', async () => {
    const ride = await completedRide();
    const consumer = receiptConsumer({ ...harness().parts.deps, drivers: vehicleLookups() });
    const completed = delivered('trip.v1.completed', ride.completed);

    await consumer.handle([completed], running);
    await consumer.handle([completed], running);
    await consumer.handle([delivered('trip.v1.started', ride.started), completed, { ...completed }], running);

    const { rows, object, writes } = await receiptOf(ride.id);
    expect(writes).toBe(1);
    expect(rows).toEqual([expect.objectContaining({ tripId: ride.id, objectKey: receiptKey(ride.id) })]);
    expect(object?.contentType).toBe('application/pdf');
    expect(object?.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(object?.size).toBe(rows[0]!.sizeBytes);
  });

  it('ends with one receipt object and one row when two consumers get trip.v1.completed at once', async () => {
    const ride = await completedRide();
    // Two members of the group during a rebalance; both are past the stored-receipt check before either stores.
    const drivers = vehicleLookups(2);
    const [one, other] = [receiptConsumer({ ...harness().parts.deps, drivers }), receiptConsumer({ ...harness().parts.deps, drivers })];
    const completed = delivered('trip.v1.completed', ride.completed);

    await Promise.all([one.handle([completed], running), other.handle([{ ...completed }], running)]);

    const { rows, object } = await receiptOf(ride.id);
    expect(rows).toEqual([expect.objectContaining({ tripId: ride.id, objectKey: receiptKey(ride.id) })]);
    expect(object?.contentType).toBe('application/pdf');
    expect(object?.size).toBe(rows[0]!.sizeBytes);
    // A later redelivery finds it stored.
    const before = (await receiptOf(ride.id)).writes;
    await one.handle([completed], running);
    expect((await receiptOf(ride.id)).writes).toBe(before);
  });
}
