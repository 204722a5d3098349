import { loadConfig } from '@uitgo/kit';
import { NEARBY_RADIUS_MAX_M } from '@uitgo/contracts';
import { z } from 'zod';
import { DEFAULT_DISPATCH_POLICY, type DispatchPolicy } from './domain/dispatchPolicy.js';
import { DEFAULT_FARE_TABLE, DEFAULT_SURGE_POLICY, type FareTable, type SurgePolicy } from './domain/fareCalculator.js';
import { DEFAULT_ROUTE_LIMITS, type RouteLimits } from './domain/geo.js';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const tariff = z.object({ base: z.number().int().min(0), perKm: z.number().int().min(0), perMinute: z.number().int().min(0), minimum: z.number().int().min(0).multipleOf(1_000, 'must be a multiple of 1,000 VND (fares are rounded to 1,000)') });
const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** Settings of the trip service beyond the shared ServiceConfig; every one has a default. */
export const tripSettingsSchema = z.object({
  /** VND per vehicle type: {"bike":{"base":..,"perKm":..,"perMinute":..,"minimum":..},...}. */
  TRIP_FARE_TABLE: json(z.object({ bike: tariff, car4: tariff, car7: tariff })).optional(),
  TRIP_SURGE_CAP: z.coerce.number().min(1).max(10).default(DEFAULT_SURGE_POLICY.cap),
  /** Demand window of surge pricing: requests in the pickup's cell this recent count. */
  TRIP_SURGE_WINDOW_MS: int(60_000, 3_600_000, 600_000),
  /** Surge cells per degree (50 ≈ 2.2 km). */
  TRIP_SURGE_CELLS_PER_DEGREE: int(1, 1_000, 50),
  TRIP_SURGE_SUPPLY_RADIUS_M: int(100, NEARBY_RADIUS_MAX_M, 3_000),
  /** How long a zone's demand and supply figures are reused before they are read again (0: every quote reads them). */
  TRIP_SURGE_REFRESH_MS: int(0, 300_000, 5_000),
  TRIP_ROAD_FACTOR: z.coerce.number().min(1).max(3).default(1.3),
  TRIP_MAX_DISTANCE_M: int(1_000, 1_000_000, DEFAULT_ROUTE_LIMITS.maxDistanceM),
  TRIP_QUOTE_TTL_MS: int(10_000, 3_600_000, 300_000),
  /** At most 115 s: the driver's hold lasts the offer plus 5 s of grace, and the driver service holds a driver 120 s at most. */
  TRIP_OFFER_TTL_MS: int(1_000, 115_000, DEFAULT_DISPATCH_POLICY.offerTtlMs),
  /** Attempts and time one dispatch round may take (a round starts with the request, and again when a driver gives the trip back). */
  TRIP_DISPATCH_MAX_ATTEMPTS: int(1, 50, DEFAULT_DISPATCH_POLICY.maxAttempts),
  TRIP_DISPATCH_MAX_MS: int(1_000, 3_600_000, DEFAULT_DISPATCH_POLICY.maxDispatchMs),
  /** Comma-separated search radii per attempt, metres. */
  TRIP_DISPATCH_RADII_M: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated metres')
    .refine((radii) => radii.split(',').every((r) => Number(r) >= 1 && Number(r) <= NEARBY_RADIUS_MAX_M), `each radius must be 1 to ${NEARBY_RADIUS_MAX_M} metres (the driver service's limit)`)
    .default(DEFAULT_DISPATCH_POLICY.radiiM.join(',')),
  TRIP_DISPATCH_RETRY_EMPTY_MS: int(100, 600_000, DEFAULT_DISPATCH_POLICY.retryAfterEmptyMs),
  /** How often the dispatcher looks for due trips it was not told about (another replica's, after a restart). */
  TRIP_DISPATCH_POLL_MS: int(10, 60_000, 250),
  /** A dispatcher run holds a trip this long; if its replica dies, another takes over after it. */
  TRIP_DISPATCH_LEASE_MS: int(1_000, 600_000, 30_000),
  /** Minimum share of the quoted distance the driver's track must cover to be billed instead of the quote. */
  TRIP_TRACK_MIN_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  TRIP_RECEIPT_URL_TTL_S: int(10, 86_400, 300),
  TRIP_READ_MODEL_KEY_PREFIX: z.string().regex(/^[^{}]*$/, 'must not contain braces').default('trip:rm:'),
  TRIP_READ_MODEL_GROUP: z.string().min(1).default('trip-read-model'),
  TRIP_RECEIPT_GROUP: z.string().min(1).default('trip-receipts'),
  /** New consumer groups start from the oldest retained event (false: from now on, for tests sharing a broker). */
  TRIP_CONSUME_FROM_BEGINNING: z.enum(['true', 'false']).default('true'),
});

export interface TripSettings {
  fareTable: FareTable;
  surge: SurgePolicy & { windowMs: number; cellsPerDegree: number; supplyRadiusM: number; refreshMs: number };
  roadFactor: number;
  routeLimits: RouteLimits;
  quoteTtlMs: number;
  dispatch: DispatchPolicy & { pollMs: number; leaseMs: number };
  trackMinShare: number;
  receiptUrlTtlS: number;
  readModel: { keyPrefix: string; group: string };
  receiptGroup: string;
  fromBeginning: boolean;
}

export function loadTripSettings(env: NodeJS.ProcessEnv = process.env): TripSettings {
  const c = loadConfig(tripSettingsSchema, env);
  return {
    fareTable: c.TRIP_FARE_TABLE ?? DEFAULT_FARE_TABLE,
    surge: { ...DEFAULT_SURGE_POLICY, cap: c.TRIP_SURGE_CAP, windowMs: c.TRIP_SURGE_WINDOW_MS, cellsPerDegree: c.TRIP_SURGE_CELLS_PER_DEGREE, supplyRadiusM: c.TRIP_SURGE_SUPPLY_RADIUS_M, refreshMs: c.TRIP_SURGE_REFRESH_MS },
    roadFactor: c.TRIP_ROAD_FACTOR,
    routeLimits: { ...DEFAULT_ROUTE_LIMITS, maxDistanceM: c.TRIP_MAX_DISTANCE_M },
    quoteTtlMs: c.TRIP_QUOTE_TTL_MS,
    dispatch: {
      ...DEFAULT_DISPATCH_POLICY,
      offerTtlMs: c.TRIP_OFFER_TTL_MS,
      maxAttempts: c.TRIP_DISPATCH_MAX_ATTEMPTS,
      maxDispatchMs: c.TRIP_DISPATCH_MAX_MS,
      radiiM: c.TRIP_DISPATCH_RADII_M.split(',').map(Number),
      retryAfterEmptyMs: c.TRIP_DISPATCH_RETRY_EMPTY_MS,
      pollMs: c.TRIP_DISPATCH_POLL_MS,
      leaseMs: c.TRIP_DISPATCH_LEASE_MS,
    },
    trackMinShare: c.TRIP_TRACK_MIN_SHARE,
    receiptUrlTtlS: c.TRIP_RECEIPT_URL_TTL_S,
    readModel: { keyPrefix: c.TRIP_READ_MODEL_KEY_PREFIX, group: c.TRIP_READ_MODEL_GROUP },
    receiptGroup: c.TRIP_RECEIPT_GROUP,
    fromBeginning: c.TRIP_CONSUME_FROM_BEGINNING === 'true',
  };
}
