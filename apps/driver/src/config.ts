import { fixWindowOf, fixWindowSettings, type FixWindow } from '@uitgo/contracts';
import { loadConfig } from '@uitgo/kit';
import { z } from 'zod';
import { DEFAULT_ARCHIVER_SETTINGS, type ArchiverSettings } from './consumers/locationArchiver.consumer.js';

const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Settings of the driver service beyond the shared ServiceConfig; every one has a default. */
export const driverSettingsSchema = z.object({
  ...fixWindowSettings,
  /** A driver whose newest fix is older than this drops out of nearby search. */
  DRIVER_FRESHNESS_MS: ms(1_000, 600_000, 30_000),
  /** Live index grid: cells per degree (100 → 0.01° ≈ 1.1 km). */
  DRIVER_GEO_CELLS_PER_DEGREE: z.coerce.number().int().min(10).max(1_000).default(100),
  /** First ring of a nearest search, in metres. */
  DRIVER_GEO_FIRST_RING_M: z.coerce.number().int().min(50).max(20_000).default(300),
  DRIVER_GEO_SWEEP_INTERVAL_MS: ms(500, 600_000, 5_000),
  /** Redis key prefix of the live index (no braces). */
  DRIVER_GEO_KEY_PREFIX: z.string().regex(/^[^{}]*$/, 'must not contain braces').default('driver:geo:'),
  DRIVER_HISTORY_FLUSH_MS: ms(10, 10_000, 100),
  DRIVER_HISTORY_FLUSH_POINTS: z.coerce.number().int().min(1).max(100_000).default(2_000),
  DRIVER_HISTORY_MAX_BUFFERED: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** StreamLocations micro-batches: at most this many points, waiting at most this long. */
  DRIVER_STREAM_BATCH_POINTS: z.coerce.number().int().min(1).max(10_000).default(500),
  DRIVER_STREAM_LINGER_MS: ms(1, 1_000, 20),
  /**
   * The archiver writes the points of drivers not on a trip this long after they arrive at most,
   * together (one item per driver instead of one per report; 0: at once). A trip's points are
   * always written at once: its fare is read from them.
   */
  DRIVER_ARCHIVE_LINGER_MS: ms(0, 600_000, DEFAULT_ARCHIVER_SETTINGS.lingerMs),
  /** ...or once a batch would make more points than this wait. */
  DRIVER_ARCHIVE_MAX_BUFFERED: z.coerce.number().int().min(1).max(10_000_000).default(DEFAULT_ARCHIVER_SETTINGS.maxBufferedPoints),
  /** Consumer group of the location archiver; only tests sharing a Kafka need another one. */
  DRIVER_ARCHIVER_GROUP: z.string().min(1).default('driver-location-archiver'),
  /**
   * What this process runs: `all` (the API and the location archiver, for one-process set-ups),
   * `api` (DriverService only) or `archiver` (only the consumer writing the location history),
   * so the archive's batch writes run on other cores and scale apart from the API.
   */
  DRIVER_ROLE: z.enum(['all', 'api', 'archiver']).default('all'),
});

export interface DriverSettings {
  location: FixWindow;
  geo: { freshnessMs: number; cellsPerDegree: number; firstRingM: number; sweepIntervalMs: number; keyPrefix: string };
  history: { flushIntervalMs: number; flushAtPoints: number; maxBufferedPoints: number };
  stream: { batchPoints: number; lingerMs: number };
  archiverGroup: string;
  archiver: ArchiverSettings;
  role: 'all' | 'api' | 'archiver';
}

export function loadDriverSettings(env: NodeJS.ProcessEnv = process.env): DriverSettings {
  const c = loadConfig(driverSettingsSchema, env);
  return {
    location: fixWindowOf(c),
    geo: {
      freshnessMs: c.DRIVER_FRESHNESS_MS,
      cellsPerDegree: c.DRIVER_GEO_CELLS_PER_DEGREE,
      firstRingM: c.DRIVER_GEO_FIRST_RING_M,
      sweepIntervalMs: c.DRIVER_GEO_SWEEP_INTERVAL_MS,
      keyPrefix: c.DRIVER_GEO_KEY_PREFIX,
    },
    history: { flushIntervalMs: c.DRIVER_HISTORY_FLUSH_MS, flushAtPoints: c.DRIVER_HISTORY_FLUSH_POINTS, maxBufferedPoints: c.DRIVER_HISTORY_MAX_BUFFERED },
    stream: { batchPoints: c.DRIVER_STREAM_BATCH_POINTS, lingerMs: c.DRIVER_STREAM_LINGER_MS },
    archiverGroup: c.DRIVER_ARCHIVER_GROUP,
    archiver: { lingerMs: c.DRIVER_ARCHIVE_LINGER_MS, maxBufferedPoints: c.DRIVER_ARCHIVE_MAX_BUFFERED },
    role: c.DRIVER_ROLE,
  };
}
