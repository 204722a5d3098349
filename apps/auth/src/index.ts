export { startAuthService, migrationsFolder } from './service.js';
export { loadAuthConfig, type AuthConfig } from './config.js';
