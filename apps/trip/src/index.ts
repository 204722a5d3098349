export { startTripService, migrationsFolder } from './service.js';
