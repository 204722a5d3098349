import type { Db } from '@uitgo/kit/sql';
import { and, asc, eq, inArray, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as schema from '../db/schema.js';
import type { DriverTask } from '../ports/tripRepository.js';

const { driverTasks } = schema;
const older = alias(driverTasks, 'older');

/** The driver-task queue's queries, shared by the trip repository. */
export class DriverTaskQueries {
  constructor(protected readonly db: Db<typeof schema>) {}

  async claimTasks(now: Date, leaseUntil: Date, limit: number): Promise<DriverTask[]> {
    const firstOfItsDriver = notExists(
      this.db.select({ one: sql`1` }).from(older).where(and(eq(older.driverId, driverTasks.driverId), lt(older.id, driverTasks.id))),
    );
    const candidates = this.db
      .select({ id: driverTasks.id })
      .from(driverTasks)
      .where(and(lte(driverTasks.dueAt, now), firstOfItsDriver))
      .orderBy(asc(driverTasks.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    const rows = await this.db
      .update(driverTasks)
      .set({ dueAt: leaseUntil, attempts: sql`${driverTasks.attempts} + 1` })
      .where(and(inArray(driverTasks.id, candidates), lte(driverTasks.dueAt, now)))
      .returning({ id: driverTasks.id, kind: driverTasks.kind, driverId: driverTasks.driverId, tripId: driverTasks.tripId, attempts: driverTasks.attempts });
    return rows.sort((a, b) => a.id - b.id);
  }

  async finishTask(id: number): Promise<void> {
    await this.db.delete(driverTasks).where(eq(driverTasks.id, id));
  }

  async retryTask(id: number, dueAt: Date, error: string): Promise<void> {
    await this.db.update(driverTasks).set({ dueAt, lastError: error.slice(0, 2000) }).where(eq(driverTasks.id, id));
  }
}
