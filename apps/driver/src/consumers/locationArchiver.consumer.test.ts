import { randomUUID } from 'node:crypto';
import { createLogger } from '@uitgo/kit';
import { MemoryLocationArchive } from '@uitgo/kit/archive';
import type { DeliveredEvent, HandleControl } from '@uitgo/kit/events';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDriverMetrics } from '../metrics.js';
import { locationArchiverConsumer, slicesByDriver, type Accepted, type ArchiverSettings } from './locationArchiver.consumer.js';

const t = Date.parse('2026-11-27T08:00:00.000Z');

/** A handler's control whose holds are counted, as a subscription would. */
class Control implements HandleControl {
  readonly stopping = new AbortController();
  readonly signal = this.stopping.signal;
  held = 0;
  released = 0;
  hold = () => {
    this.held += 1;
    let done = false;
    return () => {
      if (!done) this.released += 1;
      done = true;
    };
  };
}

function recorded(driverId: string, ages: number[], tripId: string | null = null): DeliveredEvent {
  return {
    id: randomUUID(),
    type: 'driver.v1.location_recorded',
    key: driverId,
    occurredAt: new Date(t).toISOString(),
    topic: 'uitgo.driver-location.v1',
    partition: 0,
    offset: '0',
    payload: { driverId, tripId, points: ages.map((age) => ({ lat: 10.8, lng: 106.7, recordedAt: new Date(t - age).toISOString() })) },
  };
}

function setup(settings: ArchiverSettings) {
  const registry = new Registry();
  const metrics = createDriverMetrics(registry, async () => 0);
  const archive = new MemoryLocationArchive({ clock: () => t });
  const puts = vi.spyOn(archive, 'putBatch');
  const consumer = locationArchiverConsumer({ archive, metrics, logger: createLogger({ service: 'test', level: 'silent' }), clock: () => t + 2_000, settings });
  const track = async (driverId: string) => (await archive.track(driverId, new Date(t - 120_000), new Date(t))).map((p) => t - p.recordedAt.getTime());
  const lag = async (onTrip = 'false') => {
    const values = (await registry.getSingleMetric('uitgo_driver_location_archive_lag_seconds')!.get()).values as {
      metricName?: string;
      labels: Record<string, string>;
      value: number;
    }[];
    const of = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix) && v.labels.on_trip === onTrip)?.value;
    return { count: of('_count'), sum: of('_sum') };
  };
  return { consumer, puts, track, lag };
}

describe('locationArchiverConsumer', () => {
  afterEach(() => vi.useRealTimers());

  it('archives the points and measures its lag from when they were accepted, not from when the phone recorded them', async () => {
    const { consumer, track, lag } = setup({ lingerMs: 0, maxBufferedPoints: 1_000 });
    const driverId = randomUUID();
    // An upload of fixes 90 and 60 s old, accepted (published) at t.
    const control = new Control();
    await consumer.handle([recorded(driverId, [90_000, 60_000])], control);

    expect(await track(driverId)).toEqual([90_000, 60_000]);
    expect(control.held).toBe(0);
    expect(await lag()).toEqual({ count: 2, sum: 4 });
  });

  it('lets the points of drivers not on a trip wait, held uncommitted, and writes them together as one item per driver', async () => {
    vi.useFakeTimers();
    const { consumer, puts, track } = setup({ lingerMs: 30_000, maxBufferedPoints: 1_000 });
    const [a, b] = [randomUUID(), randomUUID()];
    const first = new Control();
    const second = new Control();
    await consumer.handle([recorded(a, [9_000]), recorded(b, [9_000])], first);
    await consumer.handle([recorded(a, [5_000]), recorded(b, [5_000])], second);
    expect(puts).not.toHaveBeenCalled();
    expect(await track(a)).toEqual([]);
    expect([first.held, first.released, second.held, second.released]).toEqual([1, 0, 1, 0]);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(puts).toHaveBeenCalledTimes(1);
    expect(await track(a)).toEqual([9_000, 5_000]);
    expect(await track(b)).toEqual([9_000, 5_000]);
    expect([first.released, second.released]).toEqual([1, 1]);
  });

  it("writes a trip's points before its batch is done, while the other points of the batch wait", async () => {
    vi.useFakeTimers();
    const { consumer, track, lag } = setup({ lingerMs: 30_000, maxBufferedPoints: 1_000 });
    const [onTrip, idle] = [randomUUID(), randomUUID()];
    const control = new Control();
    await consumer.handle([recorded(onTrip, [3_000, 2_000], randomUUID()), recorded(idle, [3_000])], control);
    expect(await track(onTrip)).toEqual([3_000, 2_000]);
    expect(await track(idle)).toEqual([]);
    expect([control.held, control.released]).toEqual([1, 0]);
    // The trip's points are measured apart: their lag is what fares depend on.
    expect(await lag('true')).toEqual({ count: 2, sum: 4 });
    expect(await lag('false')).toEqual({ count: undefined, sum: undefined });
  });

  it('writes what waits before taking a batch that would pass maxBufferedPoints', async () => {
    const { consumer, track } = setup({ lingerMs: 30_000, maxBufferedPoints: 3 });
    const driverId = randomUUID();
    const first = new Control();
    await consumer.handle([recorded(driverId, [9_000, 8_000])], first);
    expect(await track(driverId)).toEqual([]);
    const second = new Control();
    await consumer.handle([recorded(driverId, [7_000, 6_000])], second);
    expect(await track(driverId)).toEqual([9_000, 8_000]);
    expect([first.released, second.held, second.released]).toEqual([1, 1, 0]);
  });

  it('refuses a batch while what waits cannot be written, without keeping a copy of it (it is delivered again)', async () => {
    vi.useFakeTimers();
    const { consumer, puts, track } = setup({ lingerMs: 1_000, maxBufferedPoints: 3 });
    const driverId = randomUUID();
    await consumer.handle([recorded(driverId, [9_000, 8_000])], new Control());
    puts.mockRejectedValue(new Error('throttled'));
    const redelivered = recorded(driverId, [7_000, 6_000]);
    for (let attempt = 0; attempt < 3; attempt++) await expect(consumer.handle([redelivered], new Control())).rejects.toThrow('throttled');
    puts.mockReset();
    const control = new Control();
    await consumer.handle([redelivered], control);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await track(driverId)).toEqual([9_000, 8_000, 7_000, 6_000]);
    expect(puts.mock.calls.map(([points]) => points.length)).toEqual([2, 2]);
    expect(control.released).toBe(1);
  });

  it('after a failed slice writes again only the slices not written', async () => {
    vi.useFakeTimers();
    const { consumer, puts, track } = setup({ lingerMs: 1_000, maxBufferedPoints: 100_000 });
    const [a, b] = [randomUUID(), randomUUID()];
    // Two drivers of 6,000 points each: two slices (WRITE_SLICE_POINTS is 10,000).
    const many = (driverId: string) => recorded(driverId, Array.from({ length: 6_000 }, (_, i) => 100_000 - i));
    const control = new Control();
    await consumer.handle([many(a), many(b)], control);
    puts.mockImplementationOnce(MemoryLocationArchive.prototype.putBatch).mockRejectedValueOnce(new Error('throttled'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(control.released).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(puts.mock.calls.map(([points]) => points[0]!.driverId)).toEqual([a, b, b]);
    expect((await track(a)).length + (await track(b)).length).toBe(12_000);
    expect(control.released).toBe(1);
  });

  it('keeps the points and their holds when a write fails, and writes them at the next try', async () => {
    vi.useFakeTimers();
    const { consumer, puts, track } = setup({ lingerMs: 1_000, maxBufferedPoints: 1_000 });
    const driverId = randomUUID();
    puts.mockRejectedValueOnce(new Error('throttled'));
    const control = new Control();
    await consumer.handle([recorded(driverId, [4_000])], control);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(control.released).toBe(0);
    expect(await track(driverId)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await track(driverId)).toEqual([4_000]);
    expect(control.released).toBe(1);
  });

  it('cuts a large write into slices of whole drivers', () => {
    const accepted = (driverId: string, points: number): Accepted => ({
      acceptedAt: t,
      onTrip: false,
      points: Array.from({ length: points }, (_, i) => ({ driverId, lat: 10.8, lng: 106.7, recordedAt: new Date(t + i) })),
    });
    const [a1, b1, a2, c1] = [accepted('a', 3), accepted('b', 4), accepted('a', 2), accepted('c', 1)];
    const driversOf = (slices: Accepted[][]) => slices.map((slice) => slice.map((x) => `${x.points[0]!.driverId}${x.points.length}`));
    // a's two events stay together and in order, in the slice of a's first.
    expect(driversOf(slicesByDriver([a1!, b1!, a2!, c1!], 6))).toEqual([['a3', 'a2'], ['b4', 'c1']]);
    // A driver with more than a slice's points gets a slice of its own.
    expect(driversOf(slicesByDriver([a1!, b1!, a2!, c1!], 2))).toEqual([['a3', 'a2'], ['b4'], ['c1']]);
    expect(slicesByDriver([], 2)).toEqual([]);
  });

  it('writes what waits as soon as the subscription stops, and releases it', async () => {
    const { consumer, track } = setup({ lingerMs: 30_000, maxBufferedPoints: 1_000 });
    const driverId = randomUUID();
    const control = new Control();
    await consumer.handle([recorded(driverId, [4_000])], control);
    control.stopping.abort();
    await vi.waitFor(() => expect(control.released).toBe(1));
    expect(await track(driverId)).toEqual([4_000]);
  });
});
