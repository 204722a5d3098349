export * from './infra.js';
export * from './postgres.js';
