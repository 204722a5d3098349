import { createTestDatabase } from '@uitgo/kit/testing';
import { createPostgresDatabase } from '@uitgo/kit/sql';
import { eq, sql } from 'drizzle-orm';
import { migrationsFolder } from '../../apps/trip/src/index.js';
import * as schema from '../../apps/trip/src/db/schema.js';
import { arg } from './args.js';
import { recordBenchmark } from './record.js';

// `pnpm bench:sql [--calls 20000] [--in-flight 16]`: what one trips-db read costs the trip
// service's process, CPU µs per call, as drizzle's query builder sends it with and without
// server-side prepared statements (DATABASE_PREPARED_STATEMENTS), beside drizzle's own
// `.prepare()` (no building at all) and `select 1` (the round trip alone), in the same run, on a
// throwaway database with the trip service's migrations (POSTGRES_URL, default the local server).
const calls = arg('calls', 20_000);
const inFlight = arg('in-flight', 16);
const log = (msg: string) => process.stdout.write(`[bench:sql] ${msg}\n`);

const database = await createTestDatabase('template0');
const rows: string[] = [];
try {
  const setup = createPostgresDatabase({ url: database.url, maxConnections: 1 }, schema);
  await setup.migrate({ migrationsFolder, schema: 'trip' });
  const id = crypto.randomUUID();
  const now = new Date();
  await setup.db.insert(schema.trips).values({
    id, passengerId: crypto.randomUUID(), status: 'REQUESTED', vehicleType: 'car4', pickupLat: 10.77, pickupLng: 106.7, dropoffLat: 10.79, dropoffLng: 106.72, pickupCell: 'c',
    quoteAmount: 50_000, surgeMultiplier: 1, quoteBreakdown: [], distanceM: 3_000, durationS: 600, idempotencyKey: 'k', requestHash: 'h', createdAt: now, updatedAt: now,
  });
  await setup.close();

  const measure = async (name: string, call: () => Promise<unknown>) => {
    for (let i = 0; i < 2_000; i++) await call();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next++ < calls) await call();
    }));
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    const row = { name, cpuUsPerCall: Math.round((used.user + used.system) / calls), perSecond: Math.round(calls / seconds) };
    log(JSON.stringify(row));
    return row;
  };
  const results: { name: string; cpuUsPerCall: number; perSecond: number }[] = [];
  for (const prepared of [false, true]) {
    const { db, close } = createPostgresDatabase({ url: database.url, maxConnections: 4, preparedStatements: prepared }, schema);
    try {
      if (!prepared) results.push(await measure('baseline: `select 1` (the round trip alone)', () => db.execute(sql`select 1`)));
      const name = prepared ? 'with prepared statements (the default)' : 'DATABASE_PREPARED_STATEMENTS=false (as drizzle sends it)';
      results.push(await measure(`a trip by id through the query builder, ${name}`, () => db.select().from(schema.trips).where(eq(schema.trips.id, id))));
      if (prepared) {
        const built = db.select().from(schema.trips).where(eq(schema.trips.id, sql.placeholder('id'))).prepare('trip_by_id');
        results.push(await measure('a trip by id, built once with drizzle `.prepare()` (no building per call)', () => built.execute({ id })));
      }
    } finally {
      await close();
    }
  }
  rows.push('| query | calls/s | CPU µs per call (this process) |', '|---|---|---|', ...results.map((r) => `| ${r.name} | ${r.perSecond} | ${r.cpuUsPerCall} |`));
} finally {
  await database.drop();
}

await recordBenchmark(
  'sql',
  `Run ${new Date().toISOString()}, Node ${process.version}, PostgreSQL on this machine; ${calls} calls per row, ${inFlight} in flight over 4 connections, after 2,000 not counted.\n\n${rows.join('\n')}`,
);
log('recorded in docs/benchmarks.md');
