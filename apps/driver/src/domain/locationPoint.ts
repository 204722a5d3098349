import { fixTimeProblem, type FixWindow } from '@uitgo/contracts';

/** One GPS fix as the driver service handles it (validated). */
export interface LocationFix {
  lat: number;
  lng: number;
  recordedAt: Date;
  headingDeg?: number;
  speedKmh?: number;
  accuracyM?: number;
}

/** A fix as it arrives over gRPC: anything may be missing or out of range. */
export interface RawLocationFix {
  lat?: number | undefined;
  lng?: number | undefined;
  recordedAt?: Date | undefined;
  headingDeg?: number | undefined;
  speedKmh?: number | undefined;
  accuracyM?: number | undefined;
}

/** How far in the future (device clock ahead of ours) and how old a fix may be when it arrives. */
export type LocationRules = FixWindow;

export interface PointIssue {
  field: string;
  message: string;
}

const inRange = (value: number | undefined, min: number, max: number, maxExclusive = false): boolean =>
  value !== undefined && Number.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);

/** Checks one fix against the ingest rules; the first problem found, or the fix ready to record. */
export function checkFix(raw: RawLocationFix, now: number, rules: LocationRules): { ok: true; fix: LocationFix } | { ok: false; issue: PointIssue } {
  const fail = (field: string, message: string) => ({ ok: false as const, issue: { field, message } });
  if (!inRange(raw.lat, -90, 90)) return fail('lat', 'must be a latitude between -90 and 90');
  if (!inRange(raw.lng, -180, 180)) return fail('lng', 'must be a longitude between -180 and 180');
  const at = raw.recordedAt?.getTime();
  if (at === undefined || Number.isNaN(at)) return fail('recordedAt', 'is required');
  const late = fixTimeProblem(at, now, rules);
  if (late) return fail('recordedAt', late);
  if (raw.headingDeg !== undefined && !inRange(raw.headingDeg, 0, 360, true)) return fail('headingDeg', 'must be in [0, 360)');
  if (raw.speedKmh !== undefined && !inRange(raw.speedKmh, 0, 300)) return fail('speedKmh', 'must be between 0 and 300');
  if (raw.accuracyM !== undefined && !inRange(raw.accuracyM, 0, 10_000)) return fail('accuracyM', 'must be between 0 and 10000');
  const fix: LocationFix = { lat: raw.lat!, lng: raw.lng!, recordedAt: new Date(at) };
  if (raw.headingDeg !== undefined) fix.headingDeg = raw.headingDeg;
  if (raw.speedKmh !== undefined) fix.speedKmh = raw.speedKmh;
  if (raw.accuracyM !== undefined) fix.accuracyM = raw.accuracyM;
  return { ok: true, fix };
}
