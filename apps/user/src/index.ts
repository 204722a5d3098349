export { startUserService, migrationsFolder } from './service.js';
