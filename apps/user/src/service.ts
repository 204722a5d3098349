import { fileURLToPath } from 'node:url';
import { user } from '@uitgo/grpc';
import { startServiceApp, type EmbeddedShared, type ServiceConfig } from '@uitgo/kit/runtime';
import { DrizzleUserStore } from './adapters/drizzleUserStore.js';
import { loadUserSettings, type UserSettings } from './config.js';
import { userRegisteredConsumer } from './consumers/userRegistered.consumer.js';
import * as schema from './db/schema.js';
import { userGrpc } from './grpc/userGrpc.js';
import { makeUserUseCases } from './useCases/index.js';

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Composition root of the user service, used by main.ts and by the embedded platform. */
export function startUserService(config: ServiceConfig, shared?: EmbeddedShared, settings: UserSettings = loadUserSettings()) {
  return startServiceApp({
    config,
    schema,
    outboxTable: schema.outbox,
    migrationsFolder,
    ...(shared ? { shared } : {}),
    async wire(runtime, server) {
      const store = new DrizzleUserStore(runtime.database.db, () => runtime.outbox.notify());
      const files = await runtime.objectStore();
      server.add(user.UserServiceDefinition, userGrpc(makeUserUseCases({ store, files, settings })));
      const subscription = await runtime.bus.subscribe(userRegisteredConsumer({ store, logger: runtime.logger, groupId: settings.consumerGroup, fromBeginning: settings.consumerStart === 'beginning' }));
      return {
        checks: { 'object store': () => files.ping() },
        resources: [{ name: 'user.v1.registered consumer', close: () => subscription.stop() }],
      };
    },
  });
}
