import type { RouteDescriptor } from './routeDescriptor.js';
import { authRoutes } from './routes/authRoutes.js';
import { driverRoutes } from './routes/driverRoutes.js';
import { tripRoutes } from './routes/tripRoutes.js';
import { userRoutes } from './routes/userRoutes.js';

/** Every public REST route by operationId, with exact schema types for typed handlers. */
export const routes = { ...authRoutes, ...userRoutes, ...driverRoutes, ...tripRoutes };
export type RouteId = keyof typeof routes;

/** The same routes as a list, for registering them all. */
export const routeList: readonly RouteDescriptor[] = Object.values(routes);
