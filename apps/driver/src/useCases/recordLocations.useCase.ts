import type { RequestContext } from '@uitgo/kit';
import { MAX_LOCATION_BATCH } from '@uitgo/contracts';
import { assertIsDriver } from '../domain/accessPolicy.js';
import { DriverNotFound, ValidationFailed } from '../domain/errors.js';
import type { RawLocationFix } from '../domain/locationPoint.js';
import { callerOf } from './deps.js';
import type { IngestReport, makeIngestLocations } from './ingestLocations.js';

type Ingest = ReturnType<typeof makeIngestLocations>;

/** One position from the driver's phone; an invalid one is VALIDATION_FAILED naming the field. */
export function makeUpdateLocation(ingest: Ingest) {
  return async (ctx: RequestContext, input: { driverId: string; fix: RawLocationFix }): Promise<{ ignored: boolean }> => {
    assertIsDriver(callerOf(ctx), input.driverId);
    const report = await ingest(ctx, [{ driverId: input.driverId, fix: input.fix }]);
    if (report.unknownDrivers.size > 0) throw new DriverNotFound(input.driverId);
    const issue = report.rejected[0];
    if (issue) throw new ValidationFailed([{ path: issue.field, message: issue.message }]);
    return { ignored: report.ignored > 0 };
  };
}

/** Up to 100 buffered positions: the valid ones are recorded, the others reported by index. */
export function makeRecordLocations(ingest: Ingest) {
  return async (ctx: RequestContext, input: { driverId: string; fixes: RawLocationFix[] }): Promise<IngestReport> => {
    assertIsDriver(callerOf(ctx), input.driverId);
    if (input.fixes.length === 0 || input.fixes.length > MAX_LOCATION_BATCH) {
      throw new ValidationFailed([{ path: 'points', message: `must hold 1 to ${MAX_LOCATION_BATCH} points` }]);
    }
    const report = await ingest(ctx, input.fixes.map((fix) => ({ driverId: input.driverId, fix })));
    if (report.unknownDrivers.size > 0) throw new DriverNotFound(input.driverId);
    return report;
  };
}
