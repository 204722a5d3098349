import type { Logger } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import { loadTripSettings } from '../config.js';
import { cellOf } from '../domain/geo.js';
import type { DriverDirectory } from '../ports/driverDirectory.js';
import type { TripRepository } from '../ports/tripRepository.js';
import { SurgeZones } from './surgeZones.js';

const ctx = { traceId: 't' };
const silent = { warn: () => undefined } as unknown as Logger;

function zones(options: { supply?: () => Promise<number>; demand?: () => Promise<number>; refreshMs?: number } = {}) {
  const calls = { nearby: [] as { lat: number; lng: number }[], counts: [] as string[] };
  let now = 1_000_000;
  const settings = loadTripSettings({});
  const drivers = {
    nearby: async (_: unknown, query: { center: { lat: number; lng: number }; limit: number }) => {
      calls.nearby.push(query.center);
      const n = await (options.supply ?? (async () => 3))();
      return Array.from({ length: Math.min(n, query.limit) }, (_, i) => ({ driverId: `d${i}`, distanceM: i }));
    },
  } as unknown as DriverDirectory;
  const trips = {
    countRequestsInCell: async (cell: string) => {
      calls.counts.push(cell);
      return (options.demand ?? (async () => 7))();
    },
  } as unknown as TripRepository;
  const surge = new SurgeZones({ drivers, trips, settings, clock: () => now, logger: silent }, options.refreshMs ?? 5_000);
  return { surge, calls, advance: (ms: number) => (now += ms), cpd: settings.surge.cellsPerDegree };
}

describe('SurgeZones', () => {
  const pickup = { lat: 10.7712, lng: 106.7034 };

  it('reads a zone once per refresh period, and concurrent quotes share the read', async () => {
    const { surge, calls, advance, cpd } = zones();
    const cell = cellOf(pickup, cpd);
    const first = await Promise.all([surge.signals(ctx, cell, 'car4'), surge.signals(ctx, cell, 'car4'), surge.signals(ctx, cell, 'car4')]);
    expect(first).toEqual([{ demand: 7, supply: 3 }, { demand: 7, supply: 3 }, { demand: 7, supply: 3 }]);
    advance(4_999);
    await surge.signals(ctx, cell, 'car4');
    expect(calls.counts).toHaveLength(1);
    expect(calls.nearby).toHaveLength(1);
    advance(1);
    await surge.signals(ctx, cell, 'car4');
    expect(calls.counts).toHaveLength(2);
  });

  it('keeps vehicle types and zones apart and measures supply around the zone centre', async () => {
    const { surge, calls, cpd } = zones();
    const cell = cellOf(pickup, cpd);
    await surge.signals(ctx, cell, 'car4');
    await surge.signals(ctx, cell, 'bike');
    await surge.signals(ctx, cellOf({ lat: 10.9, lng: 106.6 }, cpd), 'car4');
    expect(calls.nearby).toHaveLength(3);
    const center = calls.nearby[0]!;
    expect(cellOf(center, cpd)).toBe(cell);
    expect(Math.abs(center.lat * cpd - Math.floor(center.lat * cpd) - 0.5)).toBeLessThan(1e-9);
  });

  it('reads every time with a refresh period of 0', async () => {
    const { surge, calls, cpd } = zones({ refreshMs: 0 });
    await surge.signals(ctx, cellOf(pickup, cpd), 'car4');
    await surge.signals(ctx, cellOf(pickup, cpd), 'car4');
    expect(calls.counts).toHaveLength(2);
  });

  it('prices without surge when the driver service does not answer, and asks again next time', async () => {
    let failing = true;
    const { surge, calls, cpd } = zones({ supply: async () => (failing ? Promise.reject(new Error('down')) : 4) });
    const cell = cellOf(pickup, cpd);
    expect(await surge.signals(ctx, cell, 'car4')).toEqual({ demand: 7, supply: null });
    failing = false;
    expect(await surge.signals(ctx, cell, 'car4')).toEqual({ demand: 7, supply: 4 });
    expect(calls.nearby).toHaveLength(2);
  });

  it('does not remember a failed demand count', async () => {
    let failing = true;
    const { surge, calls, cpd } = zones({ demand: async () => (failing ? Promise.reject(new Error('db down')) : 2) });
    const cell = cellOf(pickup, cpd);
    await expect(surge.signals(ctx, cell, 'car4')).rejects.toThrow('db down');
    failing = false;
    expect(await surge.signals(ctx, cell, 'car4')).toEqual({ demand: 2, supply: 3 });
    expect(calls.counts).toHaveLength(2);
  });
});
