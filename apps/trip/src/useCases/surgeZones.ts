import type { VehicleType } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { cellCenter } from '../domain/geo.js';
import type { TripDeps } from './deps.js';

export interface ZoneSignals {
  /** Requests in the zone within the surge window. */
  demand: number;
  /** Available drivers of the vehicle type around the zone's centre; null when the driver service did not answer. */
  supply: number | null;
}

type Deps = Pick<TripDeps, 'drivers' | 'trips' | 'settings' | 'clock' | 'logger'>;

/** Zones remembered at most; past it the oldest are dropped first. */
const MAX_ZONES = 20_000;

/**
 * Surge is a property of a zone (the pickup's surge cell) and a vehicle type, not of one
 * request: demand and supply are read once per zone every `refreshMs` and shared by every quote
 * in the zone meanwhile; concurrent quotes of a zone whose figures are due share one read. So a
 * burst of requests costs one demand count and one supply search per zone, not one each.
 */
export class SurgeZones {
  private readonly zones = new Map<string, { readAt: number; signals: Promise<ZoneSignals> }>();

  constructor(
    private readonly deps: Deps,
    private readonly refreshMs: number,
  ) {}

  signals(ctx: RequestContext, cell: string, vehicleType: VehicleType): Promise<ZoneSignals> {
    const key = `${vehicleType}:${cell}`;
    const now = this.deps.clock();
    const known = this.zones.get(key);
    if (known && now - known.readAt < this.refreshMs) return known.signals;
    const signals = this.read(ctx, cell, vehicleType, now);
    this.zones.delete(key);
    if (this.zones.size >= MAX_ZONES) this.zones.delete(this.zones.keys().next().value as string);
    const entry = { readAt: now, signals };
    this.zones.set(key, entry);
    // A failed read, or one without the driver service's answer, is not remembered: the next quote asks again.
    const forget = () => this.zones.get(key) === entry && this.zones.delete(key);
    signals.then((read) => read.supply === null && forget(), forget);
    return signals;
  }

  private async read(ctx: RequestContext, cell: string, vehicleType: VehicleType, now: number): Promise<ZoneSignals> {
    const { surge } = this.deps.settings;
    const [demand, supply] = await Promise.all([this.deps.trips.countRequestsInCell(cell, new Date(now - surge.windowMs), ctx), this.supply(ctx, cell, vehicleType)]);
    return { demand, supply };
  }

  private async supply(ctx: RequestContext, cell: string, vehicleType: VehicleType): Promise<number | null> {
    const { surge } = this.deps.settings;
    try {
      const found = await this.deps.drivers.nearby(ctx, { center: cellCenter(cell, surge.cellsPerDegree), radiusM: surge.supplyRadiusM, vehicleType, limit: 100 });
      return found.length;
    } catch (err) {
      this.deps.logger.warn({ err, traceId: ctx.traceId }, 'driver supply unknown: pricing without surge');
      return null;
    }
  }
}
