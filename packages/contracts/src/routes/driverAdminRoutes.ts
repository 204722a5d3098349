import { z } from 'zod';
import { ClientTimestamp, Cursor, IdParams, page } from '../common.js';
import { DriverLocation } from '../drivers.js';
import { defineRoute, type RouteDescriptor } from '../routeDescriptor.js';

export const DRIVER_TRACK_LIMIT_MAX = 1_000;
export const DRIVER_TRACK_WINDOW_MAX_MS = 24 * 3600_000;

export const DriverTrackQuery = z.object({
  from: ClientTimestamp.meta({ description: 'Start of the window, inclusive' }),
  to: ClientTimestamp.meta({ description: 'End of the window, exclusive; at most 24 hours after `from`' }),
  limit: z.coerce.number().int().min(1).max(DRIVER_TRACK_LIMIT_MAX).default(500),
  cursor: Cursor.optional(),
});
export type DriverTrackQuery = z.infer<typeof DriverTrackQuery>;

export const DriverTrack = page(DriverLocation).meta({ description: 'Recorded positions, oldest first' });
export type DriverTrack = z.infer<typeof DriverTrack>;

/**
 * Operator routes beyond API.md's tables (so not in `routes`, which mirrors API.md exactly);
 * the gateway serves them and lists them in the OpenAPI document.
 */
export const driverAdminRoutes = {
  getDriverTrack: defineRoute({
    operationId: 'getDriverTrack',
    method: 'GET',
    path: '/drivers/:id/track',
    summary: 'A driver\'s recorded positions over a time range',
    description: 'From the location history (archived asynchronously, so the newest seconds may be missing). Pages with `cursor`.',
    tags: ['drivers'],
    auth: ['admin'],
    params: IdParams,
    query: DriverTrackQuery,
    responses: { 200: DriverTrack },
    errors: [],
  }),
};

export const driverAdminRouteList: readonly RouteDescriptor[] = Object.values(driverAdminRoutes);
