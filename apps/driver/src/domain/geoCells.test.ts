import { describe, expect, it } from 'vitest';
import { cellOf, cellsWithin, distanceM, distanceToCellM, METERS_PER_DEGREE, searchRings } from './geoCells.js';

describe('geo cells', () => {
  it('measures distance as Redis does (haversine, Redis Earth radius)', () => {
    expect(distanceM({ lat: 10.8, lng: 106.7 }, { lat: 10.8, lng: 106.7 })).toBe(0);
    expect(distanceM({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(METERS_PER_DEGREE, 6);
    expect(distanceM({ lat: 10.8, lng: 106.7 }, { lat: 10.81, lng: 106.71 })).toBeCloseTo(1559.0, -0.5); // GEODIST on Redis: 1558.9989 (coordinates quantised)
  });

  it('puts a point in the cell whose south-west corner is below it', () => {
    expect(cellOf({ lat: 10.8, lng: 106.7 }, 100)).toEqual({ iy: 10080, ix: 28670 });
    expect(cellOf({ lat: -90, lng: -180 }, 100)).toEqual({ iy: 0, ix: 0 });
    expect(cellOf({ lat: 10.80999, lng: 106.70999 }, 100)).toEqual({ iy: 10080, ix: 28670 });
  });

  it('covers a circle with the cells it touches and no others', () => {
    const center = { lat: 10.805, lng: 106.705 };
    expect(cellsWithin(center, 100, 100)).toEqual([{ iy: 10080, ix: 28670 }]);
    const cells = cellsWithin(center, 3_000, 100);
    for (const cell of cells) expect(distanceToCellM(center, cell, 100)).toBeLessThanOrEqual(3_000);
    expect(cells.length).toBeGreaterThan(25);
    expect(cells.length).toBeLessThan(49);
    const corner = { lat: 10.8 + 1e-9, lng: 106.7 + 1e-9 };
    expect(cellsWithin(corner, 10, 100)).toHaveLength(4);
  });

  it('wraps around the antimeridian and takes every column at a pole', () => {
    const columns = cellsWithin({ lat: 0, lng: 179.999 }, 1_000, 100).map((c) => c.ix);
    expect(columns).toContain(0);
    expect(columns).toContain(35_999);
    expect(new Set(cellsWithin({ lat: 89.999, lng: 0 }, 1_000, 10).map((c) => c.ix)).size).toBe(3_600);
  });

  it('grows rings by doubling up to the radius asked for', () => {
    expect(searchRings(3_000, 500)).toEqual([500, 1_000, 2_000, 3_000]);
    expect(searchRings(400, 500)).toEqual([400]);
    expect(searchRings(1_000, 500)).toEqual([500, 1_000]);
  });
});
