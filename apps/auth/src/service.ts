import { fileURLToPath } from 'node:url';
import { startServiceApp, type EmbeddedShared, type ServiceConfig } from '@uitgo/kit/runtime';
import * as schema from './db/schema.js';

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Composition root of the auth service, used by main.ts and by the embedded platform. */
export function startAuthService(config: ServiceConfig, shared?: EmbeddedShared) {
  return startServiceApp({
    config,
    schema,
    outboxTable: schema.outbox,
    migrationsFolder,
    ...(shared ? { shared } : {}),
    wire: () => ({}),
  });
}
