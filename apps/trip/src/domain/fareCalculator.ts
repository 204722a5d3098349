import type { Fare, FareLine, VehicleType } from '@uitgo/contracts';

/** Prices of one vehicle type, in whole VND. */
export interface VehicleTariff {
  base: number;
  perKm: number;
  perMinute: number;
  minimum: number;
}

export type FareTable = Record<VehicleType, VehicleTariff>;

/** Defaults in the range of Ho Chi Minh City ride-hailing prices; override with TRIP_FARE_TABLE. */
export const DEFAULT_FARE_TABLE: FareTable = {
  bike: { base: 10_000, perKm: 4_500, perMinute: 300, minimum: 15_000 },
  car4: { base: 25_000, perKm: 10_000, perMinute: 500, minimum: 35_000 },
  car7: { base: 30_000, perKm: 13_000, perMinute: 600, minimum: 45_000 },
};

export interface FareInput {
  vehicleType: VehicleType;
  distanceM: number;
  durationS: number;
  surgeMultiplier: number;
}

const ROUND_TO = 1_000;
const km = (m: number) => (m / 1000).toFixed(1);
const minutes = (s: number) => Math.round(s / 60);

/**
 * base + per km + per minute, times the surge, rounded to 1,000 VND with a minimum fare.
 * The breakdown lines always sum to the amount (surge, minimum and rounding are lines too).
 */
export function calculateFare(table: FareTable, input: FareInput): Fare {
  const tariff = table[input.vehicleType];
  const distanceM = Math.max(0, input.distanceM);
  const durationS = Math.max(0, input.durationS);
  const lines: FareLine[] = [
    { code: 'base', label: 'Base fare', amount: tariff.base },
    { code: 'distance', label: `Distance ${km(distanceM)} km`, amount: Math.round((distanceM / 1000) * tariff.perKm) },
    { code: 'time', label: `Time ${minutes(durationS)} min`, amount: Math.round((durationS / 60) * tariff.perMinute) },
  ];
  const subtotal = sum(lines);
  if (input.surgeMultiplier > 1) {
    lines.push({ code: 'surge', label: `Surge ×${input.surgeMultiplier}`, amount: Math.round(subtotal * (input.surgeMultiplier - 1)) });
  }
  const raw = sum(lines);
  const minimum = Math.ceil(tariff.minimum / ROUND_TO) * ROUND_TO;
  if (raw < minimum) {
    lines.push({ code: 'minimum', label: 'Minimum fare', amount: minimum - raw });
  } else {
    const rounded = Math.round(raw / ROUND_TO) * ROUND_TO;
    if (rounded !== raw) lines.push({ code: 'rounding', label: 'Rounding', amount: rounded - raw });
  }
  return { amount: sum(lines), currency: 'VND', breakdown: lines };
}

const sum = (lines: readonly FareLine[]) => lines.reduce((total, line) => total + line.amount, 0);

export interface SurgePolicy {
  /** [demand/supply ratio at or above which, multiplier], ascending by ratio. */
  steps: readonly (readonly [ratio: number, multiplier: number])[];
  cap: number;
}

export const DEFAULT_SURGE_POLICY: SurgePolicy = {
  steps: [
    [0, 1.0],
    [1, 1.2],
    [1.5, 1.5],
    [2.5, 2.0],
  ],
  cap: 2.0,
};

/**
 * Stepped multiplier from demand (recent requests in the pickup's cell) over supply
 * (available drivers near the pickup); no demand means no surge, demand without supply the top step.
 */
export function surgeMultiplier(policy: SurgePolicy, demand: number, supply: number): number {
  if (demand <= 0) return 1;
  const ratio = supply <= 0 ? Infinity : demand / supply;
  let multiplier = 1;
  for (const [atLeast, value] of policy.steps) if (ratio >= atLeast) multiplier = value;
  return Math.max(1, Math.min(policy.cap, multiplier));
}
