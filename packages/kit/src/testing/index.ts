export * from './infra.js';
export * from './postgres.js';
export * from './jsonService.js';
export * from './spanRecorder.js';
export * from './pdfText.js';
