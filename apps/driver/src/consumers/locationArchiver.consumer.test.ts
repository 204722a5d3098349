import { randomUUID } from 'node:crypto';
import { createLogger } from '@uitgo/kit';
import { MemoryLocationArchive } from '@uitgo/kit/archive';
import type { DeliveredEvent } from '@uitgo/kit/events';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDriverMetrics } from '../metrics.js';
import { locationArchiverConsumer } from './locationArchiver.consumer.js';

/** A delivery whose subscription is not stopping. */
const running = { signal: new AbortController().signal, hold: () => () => undefined };

describe('locationArchiverConsumer', () => {
  it('archives the points and measures its lag from when they were accepted, not from when the phone recorded them', async () => {
    const t = Date.parse('2026-11-27T08:00:00.000Z');
    const registry = new Registry();
    const metrics = createDriverMetrics(registry, async () => 0);
    const archive = new MemoryLocationArchive({ clock: () => t });
    const consumer = locationArchiverConsumer({ archive, metrics, logger: createLogger({ service: 'test', level: 'silent' }), clock: () => t + 2_000 });
    const driverId = randomUUID();
    // An upload of fixes 90 and 60 s old, accepted (published) at t.
    const event: DeliveredEvent = {
      id: randomUUID(),
      type: 'driver.v1.location_recorded',
      key: driverId,
      occurredAt: new Date(t).toISOString(),
      topic: 'uitgo.driver-location.v1',
      partition: 0,
      offset: '0',
      payload: { driverId, tripId: null, points: [90_000, 60_000].map((age) => ({ lat: 10.8, lng: 106.7, recordedAt: new Date(t - age).toISOString() })) },
    };
    await consumer.handle([event], running);

    expect((await archive.track(driverId, new Date(t - 120_000), new Date(t))).map((p) => p.recordedAt.getTime())).toEqual([t - 90_000, t - 60_000]);
    const lag = (await registry.getSingleMetric('uitgo_driver_location_archive_lag_seconds')!.get()).values as { metricName?: string; value: number }[];
    expect(lag.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(2);
    expect(lag.find((v) => v.metricName?.endsWith('_sum'))?.value).toBe(4);
  });
});
