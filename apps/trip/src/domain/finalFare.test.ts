import { describe, expect, it } from 'vitest';
import { calculateFare, DEFAULT_FARE_TABLE } from './fareCalculator.js';
import { finalFare } from './finalFare.js';
import { pathLengthM } from './geo.js';

const startedAt = new Date('2025-11-26T04:00:00Z');
const completedAt = new Date('2025-11-26T04:20:00Z');
const north = (m: number) => ({ lat: 10.8 + m / 111_195, lng: 106.7 });
const base = { vehicleType: 'car4' as const, quotedDistanceM: 5_000, surgeMultiplier: 1.2, startedAt, completedAt, minTrackShare: 0.5 };

describe('finalFare', () => {
  it('bills the distance the track covered and the real duration, at the quoted surge', () => {
    const track = [north(0), north(2_000), north(4_000), north(6_500)];
    const result = finalFare(DEFAULT_FARE_TABLE, { ...base, track });
    expect(result.distanceSource).toBe('track');
    expect(result.distanceM).toBe(Math.round(pathLengthM(track)));
    expect(result.distanceM).toBeCloseTo(6_500, -1);
    expect(result.fare).toEqual(calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: result.distanceM, durationS: 1_200, surgeMultiplier: 1.2 }));
  });

  it('falls back to the quoted distance when the track is missing or too short', () => {
    const quoted = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: 5_000, durationS: 1_200, surgeMultiplier: 1.2 });
    expect(finalFare(DEFAULT_FARE_TABLE, { ...base, track: [] })).toEqual({ fare: quoted, distanceM: 5_000, distanceSource: 'quote' });
    expect(finalFare(DEFAULT_FARE_TABLE, { ...base, track: [north(0)] }).distanceSource).toBe('quote');
    expect(finalFare(DEFAULT_FARE_TABLE, { ...base, track: [north(0), north(2_000)] })).toMatchObject({ distanceM: 5_000, distanceSource: 'quote' });
    expect(finalFare(DEFAULT_FARE_TABLE, { ...base, track: [north(0), north(2_600)] }).distanceSource).toBe('track');
  });

  it('never bills a negative duration', () => {
    const result = finalFare(DEFAULT_FARE_TABLE, { ...base, track: [], completedAt: startedAt, startedAt: completedAt });
    expect(result.fare.breakdown.find((l) => l.code === 'time')?.amount).toBe(0);
  });
});
