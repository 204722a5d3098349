import { createLogger, createMetrics, openChannel, type ServiceMetrics } from '@uitgo/kit';
import type { EventBus } from '@uitgo/kit/events';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../app.js';
import { gatewayAdmission } from '../admission.js';
import { createGatewayClients } from '../clients.js';
import { gatewayConfigSchema } from '../config.js';
import { ConnectionRegistry } from '../live/connectionRegistry.js';
import { FakeDriverService } from './fakeDriverService.js';
import { FakeIdentityServices } from './fakeIdentityServices.js';

export interface TestGateway {
  app: FastifyInstance;
  fake: FakeIdentityServices;
  driver: FakeDriverService;
  kv: MemoryKeyValueStore;
  /** The WebSocket connections, by user. */
  connections: ConnectionRegistry;
  metrics: ServiceMetrics;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Pushes the trip and location events published here to the WebSockets (none without it). */
  bus?: EventBus;
  /** Pauses before a WebSocket connection's current state is fetched again (default: a few ms). */
  liveStateRetryPausesMs?: readonly number[];
}

/** The real gateway app in front of fake auth, user and driver services on loopback gRPC ports. */
export async function startTestGateway(env: Record<string, string> = {}, fake?: FakeIdentityServices, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const services = fake ?? (await FakeIdentityServices.start());
  const driver = await FakeDriverService.start();
  const channel = openChannel(services.address);
  const driverChannel = openChannel(driver.address);
  const kv = new MemoryKeyValueStore();
  const connections = new ConnectionRegistry();
  const metrics = createMetrics('gateway', { defaults: false });
  const config = gatewayConfigSchema.parse({ NODE_ENV: 'test', RATE_LIMIT_PUBLIC_MAX: '1000', RATE_LIMIT_USER_MAX: '1000', ...env });
  const admission = gatewayAdmission(config.ADMISSION_BUDGET_MS);
  const app = await buildGateway({
    config,
    logger: createLogger({ service: 'gateway', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    metrics,
    checks: {},
    api: {
      // Wired as gateway.ts wires it, with the clients' metrics in the app's registry.
      clients: createGatewayClients({ auth: channel, user: channel, driver: driverChannel }, { deadlineMs: 5_000, metrics, ...(admission && { admission }) }),
      kv,
      connections,
      ...(options.bus ? { bus: options.bus } : {}),
      ...(admission && { admission }),
      liveStateRetryPausesMs: options.liveStateRetryPausesMs ?? [5, 10],
    },
  });
  await app.ready();
  return {
    app,
    fake: services,
    driver,
    kv,
    connections,
    metrics,
    async close() {
      await app.close();
      channel.close();
      driverChannel.close();
      await kv.close();
      await driver.stop();
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
