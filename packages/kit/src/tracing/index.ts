export * from './traceParent.js';
export * from './tracingConfig.js';
export * from './tracing.js';
