import { randomUUID } from 'node:crypto';
import { driver as driverProto } from '@uitgo/grpc';
import { createGrpcClient, openChannel } from '@uitgo/kit';
import postgres from 'postgres';

/** The benchmark's city: 100,000 drivers spread uniformly over this box (issue 4). */
export const BOX = { latMin: 10.7, latMax: 10.9, lngMin: 106.6, lngMax: 106.8 };
export const randomPoint = () => ({
  lat: BOX.latMin + Math.random() * (BOX.latMax - BOX.latMin),
  lng: BOX.lngMin + Math.random() * (BOX.lngMax - BOX.lngMin),
});
const VEHICLES = ['bike', 'car4', 'car7'] as const;

export interface SeededDrivers {
  ids: string[];
  remove(): Promise<void>;
}

const log = (msg: string) => process.stdout.write(`[seed] ${msg}\n`);

/**
 * Creates verified drivers with vehicles straight in the user and driver databases (going
 * through sign-up would spend minutes hashing passwords), then brings each one online through
 * the driver service's own GoOnline, which asks the user service and mirrors them into Redis.
 */
export async function seedDrivers(env: NodeJS.ProcessEnv, driverGrpcPort: number, count: number): Promise<SeededDrivers> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const users = postgres(env.USER_DATABASE_URL!, { max: 2, onnotice: () => undefined });
  const drivers = postgres(env.DRIVER_DATABASE_URL!, { max: 2, onnotice: () => undefined });
  const started = Date.now();
  for (let i = 0; i < count; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    const now = new Date();
    await users`
      insert into "user".profiles (id, email, role, full_name, verification_status, created_at, updated_at)
      select id, 'bench-' || id || '@uitgo.test', 'driver', 'Bench Driver', 'verified', ${now}, ${now}
      from unnest(${chunk}::uuid[]) as id`;
    await drivers`
      insert into driver.drivers (id, vehicle_type, plate_number, plate_key, vehicle_model, availability)
      select id, (array['bike','car4','car7'])[1 + (ord % 3)]::driver.vehicle_type, 'B-' || replace(id::text, '-', ''), 'B' || replace(id::text, '-', ''), 'Bench', 'offline'
      from unnest(${chunk}::uuid[]) with ordinality as t(id, ord)`;
    log(`rows ${Math.min(i + 10_000, count)}/${count}`);
  }
  const client = createGrpcClient(driverProto.DriverServiceDefinition, openChannel(`127.0.0.1:${driverGrpcPort}`), { deadlineMs: 30_000 });
  let next = 0;
  let online = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        const id = ids[next++]!;
        await client.goOnline({ driverId: id }, { context: { traceId: 'bench-seed-00000000', caller: { userId: id, role: 'driver' } } });
        if (++online % 10_000 === 0) log(`online ${online}/${count} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }),
  );
  log(`${count} drivers online in ${((Date.now() - started) / 1000).toFixed(0)} s (${VEHICLES.join('/')} in turn)`);
  return {
    ids,
    async remove() {
      for (let i = 0; i < count; i += 10_000) {
        const chunk = ids.slice(i, i + 10_000);
        await drivers`delete from driver.drivers where id = any(${chunk}::uuid[])`;
        await users`delete from "user".profiles where id = any(${chunk}::uuid[])`;
      }
      await users.end();
      await drivers.end();
    },
  };
}
