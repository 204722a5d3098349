export * from './embeddedPlatform.js';
