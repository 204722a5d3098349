import { topicOf, type UitgoEvent } from '@uitgo/contracts';
import { assertBeforeDeadline, type RequestContext } from '@uitgo/kit';
import { enqueueEvents } from '@uitgo/kit/outbox';
import { tracedDb, type Db } from '@uitgo/kit/sql';
import { eq, inArray, ne, sql } from 'drizzle-orm';
import * as schema from '../db/schema.js';
import type { DriverRecord } from '../domain/driverProfile.js';
import { ValidationFailed } from '../domain/errors.js';
import type { DriverChange, DriverRepository } from '../ports/driverRepository.js';

const UNIQUE_VIOLATION = '23505';

function isPlateTaken(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

/** drivers-db over drizzle (postgres.js or PGlite); events go to the outbox in the same transaction. */
export class DrizzleDriverRepository implements DriverRepository {
  constructor(
    private readonly db: Db<typeof schema>,
    private readonly onEventsCommitted: () => void,
  ) {}

  async find(driverId: string, context?: RequestContext): Promise<DriverRecord | null> {
    const [row] = await tracedDb(this.db, context).select().from(schema.drivers).where(eq(schema.drivers.id, driverId));
    return row ?? null;
  }

  async findMany(driverIds: readonly string[], context?: RequestContext): Promise<DriverRecord[]> {
    if (driverIds.length === 0) return [];
    return tracedDb(this.db, context).select().from(schema.drivers).where(inArray(schema.drivers.id, [...driverIds]));
  }

  async change(driverId: string, decide: (current: DriverRecord | null) => DriverChange, context?: RequestContext): Promise<DriverRecord | null> {
    let events: UitgoEvent[] = [];
    try {
      const stored = await tracedDb(this.db, context).transaction(async (tx) => {
        assertBeforeDeadline(context);
        const [current] = await tx.select().from(schema.drivers).where(eq(schema.drivers.id, driverId)).for('update');
        const change = decide(current ?? null);
        if (!change.next) return current ?? null;
        const { vehicleType, plateNumber, plateKey, vehicleModel, availability, currentTripId } = change.next;
        const fields = { vehicleType, plateNumber, plateKey, vehicleModel, availability, currentTripId };
        const [row] = await tx
          .insert(schema.drivers)
          .values({ id: driverId, ...fields, version: 1 })
          .onConflictDoUpdate({
            target: schema.drivers.id,
            set: { ...fields, version: sql`${schema.drivers.version} + 1`, updatedAt: sql`now()` },
          })
          .returning();
        // One insert per event keeps their order whatever topics they go to.
        for (const event of change.events) await enqueueEvents(tx, schema.outbox, topicOf(event.type), [event], context);
        events = change.events;
        return row!;
      });
      if (events.length > 0) this.onEventsCommitted();
      return stored;
    } catch (err) {
      if (isPlateTaken(err)) throw new ValidationFailed([{ path: 'plateNumber', message: 'is registered to another driver' }]);
      throw err;
    }
  }

  async countOnline(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(schema.drivers).where(ne(schema.drivers.availability, 'offline'));
    return row?.n ?? 0;
  }
}
