import type { RequestContext } from '@uitgo/kit';
import type { ArchivedLocation } from '@uitgo/kit/archive';
import { assertMayReadDriver } from '../domain/accessPolicy.js';
import { ValidationFailed } from '../domain/errors.js';
import { callerOf, type DriverDeps } from './deps.js';

const MAX_WINDOW_MS = 24 * 3600_000;

export interface TrackInput {
  driverId: string;
  from: Date | undefined;
  to: Date | undefined;
  /** 0 means 500. */
  pageSize: number;
  pageToken: string;
}

/** A driver's recorded positions in [from, to), oldest first, paged by time. */
export function makeGetLocationTrack({ archive }: Pick<DriverDeps, 'archive'>) {
  return async (ctx: RequestContext, input: TrackInput): Promise<{ points: ArchivedLocation[]; nextPageToken: string }> => {
    assertMayReadDriver(callerOf(ctx), input.driverId);
    const fields: { path: string; message: string }[] = [];
    if (!input.from || !input.to) fields.push({ path: 'from', message: 'from and to are required' });
    else if (input.from > input.to) fields.push({ path: 'from', message: 'must not be after to' });
    else if (input.to.getTime() - input.from.getTime() > MAX_WINDOW_MS) fields.push({ path: 'to', message: 'the window may span at most 24 hours' });
    if (!(Number.isInteger(input.pageSize) && input.pageSize >= 0 && input.pageSize <= 1000)) fields.push({ path: 'pageSize', message: 'must be 1 to 1000' });
    const resumeAt = input.pageToken ? Number(Buffer.from(input.pageToken, 'base64url').toString()) : undefined;
    if (resumeAt !== undefined && !Number.isSafeInteger(resumeAt)) fields.push({ path: 'pageToken', message: 'is not a token this service issued' });
    if (fields.length > 0) throw new ValidationFailed(fields);
    const pageSize = input.pageSize || 500;
    const from = new Date(Math.max(input.from!.getTime(), resumeAt ?? 0));
    const to = new Date(input.to!.getTime() - 1);
    if (from > to) return { points: [], nextPageToken: '' };
    const points = await archive.track(input.driverId, from, to, { limit: pageSize + 1 });
    if (points.length <= pageSize) return { points, nextPageToken: '' };
    const last = points[pageSize - 1]!;
    return { points: points.slice(0, pageSize), nextPageToken: Buffer.from(String(last.recordedAt.getTime() + 1)).toString('base64url') };
  };
}
