import { describe, expect, it } from 'vitest';
import { cellOf, cellsWithin, distanceM, distanceToCellM, MAX_SEARCH_CELLS, METERS_PER_DEGREE, searchCellCount, searchRings } from './geoCells.js';

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
    // The grid's far edges belong to cells a search scans: lng 180 is lng -180, lat 90 the last row.
    expect(cellOf({ lat: 0, lng: 180 }, 100)).toEqual(cellOf({ lat: 0, lng: -180 }, 100));
    expect(cellOf({ lat: 90, lng: 0 }, 100).iy).toBe(17_999);
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

  it('counts the cells a search would scan without listing them, to refuse one that spans too many', () => {
    const city = { lat: 10.8, lng: 106.7 };
    expect(searchCellCount(city, 10_000, 100)).toBeGreaterThanOrEqual(cellsWithin(city, 10_000, 100).length);
    expect(searchCellCount(city, 10_000, 100)).toBeLessThan(500);
    // 10 km is searchable up to about latitude 85; near a pole a circle spans every column.
    expect(searchCellCount({ lat: 84, lng: 0 }, 10_000, 100)).toBeLessThanOrEqual(MAX_SEARCH_CELLS);
    expect(searchCellCount({ lat: 89.99, lng: 0 }, 3_000, 100)).toBeGreaterThan(MAX_SEARCH_CELLS);
  });

  it('grows rings by doubling up to the radius asked for', () => {
    expect(searchRings(3_000, 500)).toEqual([500, 1_000, 2_000, 3_000]);
    expect(searchRings(400, 500)).toEqual([400]);
    expect(searchRings(1_000, 500)).toEqual([500, 1_000]);
  });
});
