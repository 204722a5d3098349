import { placeholderOf, preparedQuery, type Db } from '@uitgo/kit/sql';
import { and, asc, eq, inArray, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as schema from '../db/schema.js';
import type { DriverTask } from '../ports/tripRepository.js';

const { driverTasks } = schema;
const older = alias(driverTasks, 'older');

/** The driver-task queue's queries, shared by the trip repository; built once (see preparedQuery). */
export class DriverTaskQueries {
  private readonly claim;
  private readonly finish;

  constructor(protected readonly db: Db<typeof schema>) {
    const param = (name: string) => sql.placeholder(name);
    this.claim = preparedQuery(db, 'claim_driver_tasks', (d) => {
      const firstOfItsDriver = notExists(
        d.select({ one: sql`1` }).from(older).where(and(eq(older.driverId, driverTasks.driverId), lt(older.id, driverTasks.id))),
      );
      const candidates = d
        .select({ id: driverTasks.id })
        .from(driverTasks)
        .where(and(lte(driverTasks.dueAt, placeholderOf(driverTasks.dueAt, 'now')), firstOfItsDriver))
        .orderBy(asc(driverTasks.id))
        .limit(param('limit'))
        .for('update', { skipLocked: true });
      return d
        .update(driverTasks)
        .set({ dueAt: sql`${placeholderOf(driverTasks.dueAt, 'leaseUntil')}`, attempts: sql`${driverTasks.attempts} + 1` })
        .where(and(inArray(driverTasks.id, candidates), lte(driverTasks.dueAt, placeholderOf(driverTasks.dueAt, 'now'))))
        .returning({ id: driverTasks.id, kind: driverTasks.kind, driverId: driverTasks.driverId, tripId: driverTasks.tripId, attempts: driverTasks.attempts });
    });
    this.finish = preparedQuery(db, 'finish_driver_task', (d) => d.delete(driverTasks).where(eq(driverTasks.id, param('id'))));
  }

  async claimTasks(now: Date, leaseUntil: Date, limit: number): Promise<DriverTask[]> {
    const rows = await this.claim({ now, leaseUntil, limit });
    return rows.sort((a, b) => a.id - b.id);
  }

  async finishTask(id: number): Promise<void> {
    await this.finish({ id });
  }

  async retryTask(id: number, dueAt: Date, error: string): Promise<void> {
    await this.db.update(driverTasks).set({ dueAt, lastError: error.slice(0, 2000) }).where(eq(driverTasks.id, id));
  }
}
