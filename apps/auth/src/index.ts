export { startAuthService, migrationsFolder } from './service.js';
