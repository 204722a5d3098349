import { describe, expect, it } from 'vitest';
import { checkFix } from './locationPoint.js';

const NOW = Date.parse('2025-11-26T04:00:00Z');
const rules = { maxFutureSkewMs: 5_000, maxAgeMs: 120_000 };
const at = (offsetMs: number) => new Date(NOW + offsetMs);

describe('checkFix', () => {
  it('accepts a fix within range and time bounds, keeping the optional fields', () => {
    const checked = checkFix({ lat: 10.8, lng: 106.7, recordedAt: at(-1_000), headingDeg: 0, speedKmh: 30, accuracyM: 5 }, NOW, rules);
    expect(checked).toEqual({ ok: true, fix: { lat: 10.8, lng: 106.7, recordedAt: at(-1_000), headingDeg: 0, speedKmh: 30, accuracyM: 5 } });
    expect(checkFix({ lat: 90, lng: -180, recordedAt: at(5_000) }, NOW, rules).ok).toBe(true);
    expect(checkFix({ lat: -90, lng: 180, recordedAt: at(-120_000) }, NOW, rules).ok).toBe(true);
  });

  it.each([
    [{ lat: 90.0001, lng: 0, recordedAt: at(0) }, 'lat'],
    [{ lat: Number.NaN, lng: 0, recordedAt: at(0) }, 'lat'],
    [{ lng: 0, recordedAt: at(0) }, 'lat'],
    [{ lat: 0, lng: -180.5, recordedAt: at(0) }, 'lng'],
    [{ lat: 0, lng: 0 }, 'recordedAt'],
    [{ lat: 0, lng: 0, recordedAt: at(5_001) }, 'recordedAt'],
    [{ lat: 0, lng: 0, recordedAt: at(-120_001) }, 'recordedAt'],
    [{ lat: 0, lng: 0, recordedAt: at(0), headingDeg: 360 }, 'headingDeg'],
    [{ lat: 0, lng: 0, recordedAt: at(0), speedKmh: -1 }, 'speedKmh'],
    [{ lat: 0, lng: 0, recordedAt: at(0), accuracyM: 10_001 }, 'accuracyM'],
  ])('rejects %o naming %s', (fix, field) => {
    const checked = checkFix(fix, NOW, rules);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issue.field).toBe(field);
  });

  it('says what is wrong with the time as the gateway does (one check for both)', () => {
    const issue = (offsetMs: number) => {
      const checked = checkFix({ lat: 0, lng: 0, recordedAt: at(offsetMs) }, NOW, rules);
      return checked.ok ? undefined : checked.issue;
    };
    expect(issue(6_000)).toEqual({ field: 'recordedAt', message: 'is more than 5 s in the future; check the phone clock' });
    expect(issue(-121_000)).toEqual({ field: 'recordedAt', message: 'is more than 120 s old' });
  });
});
