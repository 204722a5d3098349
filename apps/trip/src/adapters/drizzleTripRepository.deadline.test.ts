import { randomUUID } from 'node:crypto';
import { createSqlDatabase, type SqlDatabase } from '@uitgo/kit/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { transition } from '../domain/tripStateMachine.js';
import { migrationsFolder } from '../service.js';
import { aTripRecord } from '../test/tripRecords.js';
import { snapshotEvent } from '../useCases/deps.js';
import { DrizzleTripRepository } from './drizzleTripRepository.js';

/**
 * Under overload a request can wait (for a connection, behind other work) past the moment its
 * caller gave up. Its write must then not happen: nobody learns of the trip it would create,
 * and the work only deepens the overload.
 */
describe('trip writes after the caller stopped waiting', () => {
  let database: SqlDatabase<typeof schema>;
  let trips: DrizzleTripRepository;
  beforeAll(async () => {
    database = await createSqlDatabase({ kind: 'pglite' }, schema);
    await database.migrate({ migrationsFolder, schema: 'trip' });
    trips = new DrizzleTripRepository(database.db, () => undefined);
  });
  afterAll(() => database?.close());

  const create = (deadlineAt: number) => {
    const trip = aTripRecord({ id: randomUUID(), passengerId: randomUUID() });
    const ctx = { traceId: randomUUID().replaceAll('-', ''), deadlineAt };
    const outcome = trips.create(trip, { key: randomUUID(), requestHash: 'h', cell: 'car4:0:0' }, snapshotEvent('trip.v1.requested', trip, ctx), { claim: randomUUID(), leaseUntil: new Date(Date.now() + 30_000) }, ctx);
    return { trip, ctx, outcome };
  };

  it('creates nothing once the deadline has passed, and creates the trip before it', async () => {
    const late = create(Date.now() - 1);
    await expect(late.outcome).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(await trips.find(late.trip.id)).toBeNull();
    const timely = create(Date.now() + 30_000);
    await expect(timely.outcome).resolves.toMatchObject({ replayed: false });
    expect(await trips.find(timely.trip.id)).toMatchObject({ id: timely.trip.id, status: 'REQUESTED' });
  });

  it('changes nothing once the deadline has passed', async () => {
    const { trip, outcome } = create(Date.now() + 30_000);
    await outcome;
    const stored = (await trips.find(trip.id))!;
    const canceled = transition(stored, { type: 'cancel' }, { role: 'passenger', userId: stored.passengerId }, new Date(stored.updatedAt.getTime() + 1_000)).next;
    const late = { traceId: randomUUID().replaceAll('-', ''), deadlineAt: Date.now() - 1 };
    await expect(trips.apply({ trip: { next: canceled, expectedVersion: stored.version } }, late)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(await trips.find(trip.id)).toMatchObject({ status: 'REQUESTED', version: stored.version });
  });
});
