import { describe, expect, it } from 'vitest';
import { calculateFare, DEFAULT_FARE_TABLE, DEFAULT_SURGE_POLICY, surgeMultiplier, type FareTable } from './fareCalculator.js';

const sumOf = (lines: { amount: number }[]) => lines.reduce((t, l) => t + l.amount, 0);

describe('calculateFare', () => {
  it('adds base, distance and time, rounded to 1,000 VND, with lines summing to the amount', () => {
    const fare = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: 5_230, durationS: 14 * 60, surgeMultiplier: 1 });
    // 25,000 + 52,300 + 7,000 = 84,300 -> 84,000
    expect(fare.amount).toBe(84_000);
    expect(fare.currency).toBe('VND');
    expect(fare.breakdown.map((l) => l.code)).toEqual(['base', 'distance', 'time', 'rounding']);
    expect(fare.breakdown.find((l) => l.code === 'distance')).toEqual({ code: 'distance', label: 'Distance 5.2 km', amount: 52_300 });
    expect(sumOf(fare.breakdown)).toBe(fare.amount);
  });

  it('rounds half up to the next thousand', () => {
    const table: FareTable = { ...DEFAULT_FARE_TABLE, bike: { base: 20_500, perKm: 0, perMinute: 0, minimum: 0 } };
    expect(calculateFare(table, { vehicleType: 'bike', distanceM: 0, durationS: 0, surgeMultiplier: 1 }).amount).toBe(21_000);
  });

  it('charges the minimum fare for a short ride', () => {
    const fare = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'bike', distanceM: 300, durationS: 60, surgeMultiplier: 1 });
    expect(fare.amount).toBe(15_000);
    expect(fare.breakdown.at(-1)?.code).toBe('minimum');
    expect(sumOf(fare.breakdown)).toBe(15_000);
  });

  it('rounds a minimum that is not a whole thousand up to one (a fare is always a multiple of 1,000)', () => {
    const table: FareTable = { ...DEFAULT_FARE_TABLE, bike: { base: 1_000, perKm: 0, perMinute: 0, minimum: 15_500 } };
    const fare = calculateFare(table, { vehicleType: 'bike', distanceM: 0, durationS: 0, surgeMultiplier: 1 });
    expect(fare.amount).toBe(16_000);
    expect(sumOf(fare.breakdown)).toBe(16_000);
  });

  it('multiplies by the surge as its own line', () => {
    const plain = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car7', distanceM: 10_000, durationS: 1_800, surgeMultiplier: 1 });
    const surged = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car7', distanceM: 10_000, durationS: 1_800, surgeMultiplier: 1.5 });
    // 30,000 + 130,000 + 18,000 = 178,000; x1.5 = 267,000
    expect(plain.amount).toBe(178_000);
    expect(surged.amount).toBe(267_000);
    expect(surged.breakdown.find((l) => l.code === 'surge')).toMatchObject({ amount: 89_000, label: 'Surge ×1.5' });
    expect(sumOf(surged.breakdown)).toBe(surged.amount);
  });

  it('prices by vehicle type from the table and treats negative inputs as zero', () => {
    const input = { distanceM: 8_000, durationS: 1_200, surgeMultiplier: 1 };
    const bike = calculateFare(DEFAULT_FARE_TABLE, { ...input, vehicleType: 'bike' }).amount;
    const car4 = calculateFare(DEFAULT_FARE_TABLE, { ...input, vehicleType: 'car4' }).amount;
    const car7 = calculateFare(DEFAULT_FARE_TABLE, { ...input, vehicleType: 'car7' }).amount;
    expect(bike).toBeLessThan(car4);
    expect(car4).toBeLessThan(car7);
    expect(calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: -5, durationS: -1, surgeMultiplier: 1 }).amount).toBe(35_000);
  });

  it('always gives a multiple of 1,000 at or above the minimum', () => {
    for (let d = 0; d < 40_000; d += 1_337) {
      for (const vehicleType of ['bike', 'car4', 'car7'] as const) {
        const fare = calculateFare(DEFAULT_FARE_TABLE, { vehicleType, distanceM: d, durationS: d / 6, surgeMultiplier: 1.2 });
        expect(fare.amount % 1_000).toBe(0);
        expect(fare.amount).toBeGreaterThanOrEqual(DEFAULT_FARE_TABLE[vehicleType].minimum);
        expect(sumOf(fare.breakdown)).toBe(fare.amount);
      }
    }
  });
});

describe('surgeMultiplier', () => {
  it('is 1.0 without demand, whatever the supply', () => {
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 0, 0)).toBe(1);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 0, 10)).toBe(1);
  });

  it('steps up with demand over supply', () => {
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 5, 10)).toBe(1);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 10, 10)).toBe(1.2);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 14, 10)).toBe(1.2);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 15, 10)).toBe(1.5);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 25, 10)).toBe(2);
    expect(surgeMultiplier(DEFAULT_SURGE_POLICY, 1, 0)).toBe(2);
  });

  it('never exceeds the cap', () => {
    expect(surgeMultiplier({ steps: DEFAULT_SURGE_POLICY.steps, cap: 1.5 }, 100, 1)).toBe(1.5);
    expect(surgeMultiplier({ steps: [[0, 1], [1, 3]], cap: 2.5 }, 10, 1)).toBe(2.5);
  });
});
