import { describe, expect, it } from 'vitest';
import { encodeGeohash, isGeohash } from './geohash.js';

describe('encodeGeohash', () => {
  it.each([
    [57.64911, 10.40744, 11, 'u4pruydqqvj'],
    [42.605, -5.603, 5, 'ezs42'],
    [-25.382708, -49.265506, 12, '6gkzwgjzn820'],
    [0, 0, 4, 's000'],
    [-90, -180, 3, '000'],
    [90, 180, 3, 'zzz'],
  ])('(%d, %d) at precision %d -> %s', (lat, lng, precision, expected) => {
    expect(encodeGeohash(lat, lng, precision)).toBe(expected);
  });

  it('gives a prefix of the longer hash at a lower precision', () => {
    expect(encodeGeohash(57.64911, 10.40744, 6)).toBe('u4pruy');
  });

  it('rejects coordinates and precisions out of range', () => {
    expect(() => encodeGeohash(91, 0)).toThrow(RangeError);
    expect(() => encodeGeohash(0, -181)).toThrow(RangeError);
    expect(() => encodeGeohash(Number.NaN, 0)).toThrow(RangeError);
    expect(() => encodeGeohash(0, 0, 0)).toThrow(RangeError);
  });
});

describe('isGeohash', () => {
  it('accepts base32 geohash characters only', () => {
    expect(isGeohash('w3gv2f', 6)).toBe(true);
    expect(isGeohash('w3gv2', 6)).toBe(false);
    expect(isGeohash('w3gva1')).toBe(false);
    expect(isGeohash('W3GV2F')).toBe(false);
  });
});
