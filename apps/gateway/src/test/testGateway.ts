import { createLogger, createMetrics, openChannel } from '@uitgo/kit';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../app.js';
import { createGatewayClients } from '../clients.js';
import { gatewayConfigSchema } from '../config.js';
import { FakeIdentityServices } from './fakeIdentityServices.js';

export interface TestGateway {
  app: FastifyInstance;
  fake: FakeIdentityServices;
  kv: MemoryKeyValueStore;
  close(): Promise<void>;
}

/** The real gateway app in front of fake auth and user services on a loopback gRPC port. */
export async function startTestGateway(env: Record<string, string> = {}, fake?: FakeIdentityServices): Promise<TestGateway> {
  const services = fake ?? (await FakeIdentityServices.start());
  const channel = openChannel(services.address);
  const kv = new MemoryKeyValueStore();
  const app = await buildGateway({
    config: gatewayConfigSchema.parse({ NODE_ENV: 'test', RATE_LIMIT_PUBLIC_MAX: '1000', RATE_LIMIT_USER_MAX: '1000', ...env }),
    logger: createLogger({ service: 'gateway', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    metrics: createMetrics('gateway', { defaults: false }),
    checks: {},
    api: { clients: createGatewayClients({ auth: channel, user: channel }, { deadlineMs: 5_000 }), kv },
  });
  await app.ready();
  return {
    app,
    fake: services,
    kv,
    async close() {
      await app.close();
      channel.close();
      await kv.close();
      if (!fake) await services.stop();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Polls `check` until it holds or the deadline passes (no sleeps in tests). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
