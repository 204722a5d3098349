import { describe, expect, it } from 'vitest';
import { cellOf, haversineM, pathLengthM, validateRoute } from './geo.js';

const BEN_THANH = { lat: 10.7725, lng: 106.698 };
const UIT = { lat: 10.8700, lng: 106.8031 };

describe('geo', () => {
  it('measures great-circle distances', () => {
    expect(haversineM(BEN_THANH, BEN_THANH)).toBe(0);
    expect(haversineM({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, -1);
    expect(haversineM(BEN_THANH, UIT)).toBeCloseTo(15_700, -3);
    expect(haversineM(BEN_THANH, UIT)).toBeCloseTo(haversineM(UIT, BEN_THANH), 6);
  });

  it('sums a path point to point', () => {
    const mid = { lat: 10.8, lng: 106.75 };
    expect(pathLengthM([BEN_THANH, mid, UIT])).toBeCloseTo(haversineM(BEN_THANH, mid) + haversineM(mid, UIT), 6);
    expect(pathLengthM([BEN_THANH])).toBe(0);
    expect(pathLengthM([])).toBe(0);
  });

  it('puts nearby points in one cell and far ones in others', () => {
    expect(cellOf({ lat: 10.771, lng: 106.691 }, 50)).toBe(cellOf({ lat: 10.779, lng: 106.699 }, 50));
    expect(cellOf(BEN_THANH, 50)).not.toBe(cellOf(UIT, 50));
    expect(cellOf({ lat: -0.001, lng: -0.001 }, 100)).toBe('-1:-1');
  });

  it('accepts a city ride and names what is wrong with others', () => {
    expect(validateRoute(BEN_THANH, UIT)).toEqual({ pickup: BEN_THANH, dropoff: UIT });
    expect(() => validateRoute({ lat: 91, lng: 0 }, UIT)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'pickup.lat', message: expect.any(String) }] } }));
    expect(() => validateRoute(BEN_THANH, { lat: 10, lng: Number.NaN })).toThrow(expect.objectContaining({ details: { fields: [expect.objectContaining({ path: 'dropoff.lng' })] } }));
    expect(() => validateRoute(undefined, UIT)).toThrow(expect.objectContaining({ details: { fields: [expect.objectContaining({ path: 'pickup' })] } }));
    expect(() => validateRoute(BEN_THANH, { lat: BEN_THANH.lat + 0.00005, lng: BEN_THANH.lng })).toThrow(/differ from the pickup/);
    expect(() => validateRoute(BEN_THANH, { lat: 21.0285, lng: 105.8542 })).toThrow(/within 100 km/);
  });
});
