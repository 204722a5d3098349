export { startDriverService, migrationsFolder } from './service.js';
