import { randomUUID } from 'node:crypto';
import { parseEvent, TOPICS, type UitgoEvent } from '@uitgo/contracts';
import { createLogger } from '@uitgo/kit';
import { MemoryEventBus, type DeliveredEvent } from '@uitgo/kit/events';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../ports/locationHistory.js';
import { BusLocationHistory } from './busLocationHistory.js';

const point = (driverId: string, tripId: string | null, lat: number, atMs: number): HistoryPoint => ({
  driverId,
  tripId,
  lat,
  lng: 106.7,
  recordedAt: new Date(atMs),
  headingDeg: 90,
  speedKmh: 20,
});

describe('BusLocationHistory', () => {
  const bus = new MemoryEventBus();
  afterEach(async () => bus.close());

  it('archives every point by driver, and publishes only the newest position of each driver on a trip for live tracking', async () => {
    const byTopic = new Map<string, UitgoEvent[]>();
    await bus.subscribe({
      groupId: 'test',
      topics: [TOPICS.driverLocation, TOPICS.driverTripPosition],
      fromBeginning: true,
      handle: async (events: DeliveredEvent[]) => {
        for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), parseEvent(event)]);
      },
    });
    const history = new BusLocationHistory({ bus, logger: createLogger({ service: 'driver-test', level: 'silent' }), flushIntervalMs: 60_000 });
    const [onTrip, idle, tripId] = [randomUUID(), randomUUID(), randomUUID()];
    const t0 = Date.now();
    // The on-trip driver's newest point is not the last one recorded (an upload out of order).
    history.record([point(onTrip, tripId, 10.1, t0), point(idle, null, 10.5, t0), point(onTrip, tripId, 10.3, t0 + 2_000)]);
    history.record([point(onTrip, tripId, 10.2, t0 + 1_000)]);
    await history.close();

    const archive = byTopic.get(TOPICS.driverLocation)!;
    expect(archive.every((e) => e.type === 'driver.v1.location_recorded')).toBe(true);
    expect(archive.map((e) => e.key).sort()).toEqual([onTrip, idle].sort());
    const recorded = archive.find((e) => e.key === onTrip) as UitgoEvent<'driver.v1.location_recorded'>;
    expect(recorded.payload.points.map((p) => p.lat)).toEqual([10.1, 10.3, 10.2]);
    expect(recorded.payload.tripId).toBe(tripId);

    const live = byTopic.get(TOPICS.driverTripPosition) as UitgoEvent<'driver.v1.trip_position'>[];
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      type: 'driver.v1.trip_position',
      key: onTrip,
      payload: { driverId: onTrip, tripId, location: { lat: 10.3, lng: 106.7, headingDeg: 90, speedKmh: 20, recordedAt: new Date(t0 + 2_000).toISOString() } },
    });
  });
});
