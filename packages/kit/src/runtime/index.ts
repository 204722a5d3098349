export * from './serviceConfig.js';
export * from './adapters.js';
export * from './serviceApp.js';
