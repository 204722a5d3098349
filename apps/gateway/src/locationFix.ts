import type { FixWindow } from '@uitgo/contracts';
import type { GatewayConfig } from './config.js';

/** The window a GPS fix's `recordedAt` must fall in, as the driver service's settings give it. */
export const fixWindowOf = (config: Pick<GatewayConfig, 'DRIVER_LOCATION_MAX_FUTURE_SKEW_MS' | 'DRIVER_LOCATION_MAX_AGE_MS'>): FixWindow => ({
  maxFutureSkewMs: config.DRIVER_LOCATION_MAX_FUTURE_SKEW_MS,
  maxAgeMs: config.DRIVER_LOCATION_MAX_AGE_MS,
});
