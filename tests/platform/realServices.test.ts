import { startAuthService } from '@uitgo/auth';
import { startDriverService } from '@uitgo/driver';
import { gatewayConfigSchema, startGateway, type RunningGateway } from '@uitgo/gateway';
import { createLogger, createMetrics, type RunningService } from '@uitgo/kit';
import { loadServiceConfig, type ServiceName } from '@uitgo/kit/runtime';
import { describeReal } from '@uitgo/kit/testing';
import { startTripService } from '@uitgo/trip';
import { startUserService } from '@uitgo/user';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';

const starters = { auth: startAuthService, user: startUserService, driver: startDriverService, trip: startTripService };

await describeReal('services in real mode (PostgreSQL per service, Kafka, Redis)', ['postgres', 'kafka', 'redis'], () => {
  const services: RunningService[] = [];
  let gateway: RunningGateway;

  beforeAll(async () => {
    const env = { ...process.env, UITGO_MODE: 'real', LOG_LEVEL: 'warn' };
    const addresses: Record<string, string> = {};
    for (const name of Object.keys(starters) as ServiceName[]) {
      const config = { ...loadServiceConfig(name, env), grpcPort: 0, opsPort: 0 };
      const service = await starters[name](config);
      services.push(service);
      addresses[`${name.toUpperCase()}_GRPC_ADDRESS`] = service.grpcAddress;
    }
    gateway = await startGateway(
      gatewayConfigSchema.parse({ ...env, ...addresses, PORT: '0', GATEWAY_HOST: '127.0.0.1' }),
      createLogger({ service: 'gateway', level: 'warn' }),
      createMetrics('gateway', { defaults: false }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const service of services) await service.stop();
  });

  it('each service is ready: its own database and the Kafka bus answer', async () => {
    for (const service of services) {
      const res = await fetch(`${service.opsUrl}/readyz`);
      expect(await res.json(), service.name).toMatchObject({ status: 'ok', checks: { database: 'ok', events: 'ok' } });
    }
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('each service migrated its own database, reached with its own role', async () => {
    for (const name of Object.keys(starters) as ServiceName[]) {
      const sql = postgres(loadServiceConfig(name, { ...process.env, UITGO_MODE: 'real' }).databaseUrl!, { max: 1 });
      try {
        const [row] = await sql<{ db: string; who: string; tables: string[] }[]>`
          select current_database() as db, current_user as who,
                 array(select table_name::text from information_schema.tables where table_schema = ${name}) as tables`;
        expect(row).toMatchObject({ db: `uitgo_${name}`, who: `uitgo_${name}` });
        expect(row!.tables).toEqual(expect.arrayContaining(['outbox', 'processed_events']));
      } finally {
        await sql.end();
      }
    }
  });

  it('a service that stops drains and reports not ready on the gateway', async () => {
    const trip = services.pop()!;
    await trip.stop();
    const res = await fetch(`${gateway.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: Record<string, string> }).checks['trip-service']).not.toBe('ok');
  });
});
