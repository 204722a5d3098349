import { fileURLToPath } from 'node:url';
import { auth, user } from '@uitgo/grpc';
import { startServiceApp, type EmbeddedShared, type ServiceConfig, type ServiceRuntime } from '@uitgo/kit/runtime';
import { AesGcmKeyCipher } from './adapters/aesGcmKeyCipher.js';
import { DrizzleSessionRepository } from './adapters/drizzleSessionRepository.js';
import { DrizzleSigningKeyStore } from './adapters/drizzleSigningKeyStore.js';
import { DrizzleUserRepository } from './adapters/drizzleUserRepository.js';
import { GrpcUserProfiles } from './adapters/grpcUserProfiles.js';
import { JoseAccessTokens } from './adapters/joseAccessTokens.js';
import { KvLoginThrottle } from './adapters/kvLoginThrottle.js';
import { LimitedPasswordHasher } from './adapters/limitedPasswordHasher.js';
import { ScryptPasswordHasher, type ScryptParams } from './adapters/scryptPasswordHasher.js';
import { ScryptThreads } from './adapters/scryptThreads.js';
import { loadAuthConfig, type AuthConfig } from './config.js';
import * as schema from './db/schema.js';
import { profileUpdatedConsumer } from './consumers/profileUpdated.consumer.js';
import { authGrpc } from './grpc/authGrpc.js';
import { systemClock, type Clock } from './ports/clock.js';
import { bootstrapAdmin } from './useCases/bootstrapAdmin.useCase.js';
import { ensureSigningKey } from './useCases/ensureSigningKey.useCase.js';
import { SessionTokens } from './useCases/sessionTokens.js';

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface AuthServiceOptions {
  /** Defaults to the AUTH_* variables of the environment. */
  auth?: AuthConfig;
  clock?: Clock;
  /** Lower scrypt cost for tests; production keeps the default. */
  scrypt?: ScryptParams;
}

/** Composition root of the auth service, used by main.ts and by the embedded platform. */
export function startAuthService(config: ServiceConfig, shared?: EmbeddedShared, options: AuthServiceOptions = {}) {
  const authConfig = options.auth ?? loadAuthConfig(config.mode);
  return startServiceApp({
    config,
    schema,
    outboxTable: schema.outbox,
    migrationsFolder,
    ...(shared ? { shared } : {}),
    wire: (runtime, server) => wireAuth(runtime, server, authConfig, options),
  });
}

async function wireAuth(
  runtime: ServiceRuntime<typeof schema>,
  server: { add: (definition: typeof auth.AuthServiceDefinition, impl: auth.AuthServiceImplementation) => void },
  authConfig: AuthConfig,
  options: AuthServiceOptions,
) {
  const { logger } = runtime;
  const db = runtime.database.db;
  const clock = options.clock ?? systemClock;
  if (authConfig.usesDevKeySecret) {
    logger.warn('AUTH_KEY_ENCRYPTION_SECRET is not set: signing keys are sealed with the built-in development secret');
  }

  const users = new DrizzleUserRepository(db, () => runtime.outbox.notify());
  const sessions = new DrizzleSessionRepository(db);
  const keys = new DrizzleSigningKeyStore(db, new AesGcmKeyCipher(authConfig.keyEncryptionSecret));
  const accessTokens = new JoseAccessTokens(keys, clock);
  const hashThreads = new ScryptThreads({ size: authConfig.hashing.maxConcurrent, nice: authConfig.hashing.threadNice });
  try {
    if (authConfig.hashing.threadNice > 0 && !(await hashThreads.niced)) {
      logger.warn('the hashing threads could not lower their CPU priority (it needs Linux; see AUTH_HASH_THREAD_NICE): a login storm competes with other requests');
    }
    const hasher = new LimitedPasswordHasher(new ScryptPasswordHasher(options.scrypt, hashThreads.derive), authConfig.hashing);
    const throttle = new KvLoginThrottle(await runtime.keyValueStore(), authConfig.loginThrottle);
    const profiles = new GrpcUserProfiles(runtime.client(user.UserServiceDefinition, 'user'), authConfig.createProfileDeadlineMs);
    const tokens = new SessionTokens({
      sessions,
      accessTokens,
      clock,
      lifetimes: { accessTtlS: authConfig.accessTokenTtlS, refreshTtlS: authConfig.refreshTokenTtlS },
    });

    const kid = await ensureSigningKey({ keys, accessTokens, clock });
    logger.info({ kid }, 'signing key ready');
    if (authConfig.bootstrapAdmin) {
      const outcome = await bootstrapAdmin({ users, hasher, clock, logger }, authConfig.bootstrapAdmin);
      logger.info({ outcome }, 'bootstrap admin checked');
    }
    // Unknown emails are verified against this, so they cost what a wrong password costs.
    const dummyHash = await hasher.hash(`dummy-${crypto.randomUUID()}`);

    server.add(
      auth.AuthServiceDefinition,
      authGrpc({
        users,
        sessions,
        keys,
        accessTokens,
        hasher,
        throttle,
        tokens,
        profiles,
        clock,
        logger,
        dummyHash,
        signingKeyPublishDelayMs: authConfig.signingKeyPublishDelayMs,
      }),
    );
    const subscription = await runtime.bus.subscribe(profileUpdatedConsumer({ users, logger }));
    return {
      resources: [
        { name: 'user.v1.profile_updated consumer', close: () => subscription.stop() },
        { name: 'password hashing threads', close: () => hashThreads.close() },
      ],
    };
  } catch (err) {
    // Started but not handed over as a resource: nothing else would stop them.
    await hashThreads.close();
    throw err;
  }
}
