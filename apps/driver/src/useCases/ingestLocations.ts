import type { RequestContext } from '@uitgo/kit';
import { checkFix, type PointIssue, type RawLocationFix } from '../domain/locationPoint.js';
import type { PositionUpdate, UpsertOutcome } from '../ports/geoIndex.js';
import type { HistoryPoint } from '../ports/locationHistory.js';
import { isUuid, syncLiveState, type DriverDeps } from './deps.js';

export interface IngestItem {
  driverId: string;
  fix: RawLocationFix;
}

export interface IngestReport {
  /** Points recorded (history; the newest of each driver also moved the live position unless ignored). */
  accepted: number;
  /** Accepted points older than the live position: history only. */
  ignored: number;
  rejected: (PointIssue & { index: number })[];
  /** Drivers without a profile; their points are rejected. */
  unknownDrivers: Set<string>;
}

/**
 * The ingest pipeline shared by UpdateLocation, RecordLocations and StreamLocations: validate,
 * move the live index (one pipelined batch), then hand every accepted point to the history
 * without waiting for it. A driver the index does not know (first point, or Redis lost its data)
 * is seeded from drivers-db once per batch.
 */
export function makeIngestLocations({ drivers, geoIndex, history, metrics, settings, clock }: Pick<DriverDeps, 'drivers' | 'geoIndex' | 'history' | 'metrics' | 'settings' | 'clock'>) {
  return async (ctx: RequestContext, items: readonly IngestItem[]): Promise<IngestReport> => {
    const now = clock();
    const report: IngestReport = { accepted: 0, ignored: 0, rejected: [], unknownDrivers: new Set() };
    const updates: PositionUpdate[] = [];
    const indexes: number[] = [];
    items.forEach((item, index) => {
      const checked = checkFix(item.fix, now, settings.location);
      if (!checked.ok) return void report.rejected.push({ index, ...checked.issue });
      updates.push({ driverId: item.driverId, ...checked.fix });
      indexes.push(index);
    });
    const outcomes = updates.length > 0 ? await geoIndex.upsert(updates, ctx) : [];
    await retryUnknown(ctx, updates, outcomes);

    const recorded: HistoryPoint[] = [];
    outcomes.forEach((outcome, i) => {
      const update = updates[i]!;
      if (outcome.kind === 'unknown') {
        report.unknownDrivers.add(update.driverId);
        report.rejected.push({ index: indexes[i]!, field: 'driverId', message: 'has no driver profile' });
        return;
      }
      report.accepted++;
      if (outcome.kind === 'ignored') report.ignored++;
      recorded.push({ ...update, tripId: outcome.tripId });
    });
    if (recorded.length > 0) history.record(recorded);
    report.rejected.sort((a, b) => a.index - b.index);
    metrics.accepted.inc(report.accepted - report.ignored);
    metrics.ignored.inc(report.ignored);
    metrics.rejected.inc(report.rejected.length);
    return report;
  };

  async function retryUnknown(ctx: RequestContext, updates: PositionUpdate[], outcomes: UpsertOutcome[]): Promise<void> {
    const unknown = [...new Set(updates.filter((_, i) => outcomes[i]!.kind === 'unknown').map((u) => u.driverId))].filter(isUuid);
    if (unknown.length === 0) return;
    const records = await drivers.findMany(unknown, ctx);
    if (records.length === 0) return;
    await Promise.all(records.map((record) => syncLiveState(geoIndex, record, ctx)));
    const known = new Set(records.map((r) => r.id));
    const retried = updates.map((u, i) => ({ u, i })).filter(({ u, i }) => outcomes[i]!.kind === 'unknown' && known.has(u.driverId));
    const again = await geoIndex.upsert(retried.map(({ u }) => u), ctx);
    retried.forEach(({ i }, j) => (outcomes[i] = again[j]!));
  }
}
