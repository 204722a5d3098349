import { lt } from 'drizzle-orm';
import type { Db } from '../sql/sqlDatabase.js';
import type { ProcessedEventsTable } from './processedEventsTable.js';

/**
 * Records that `consumer` applied `eventId` and says whether this is the first time. Call it in
 * the transaction that applies the event's effects and skip them when it returns false: a
 * redelivered event then changes nothing, and a rolled-back attempt leaves no record behind.
 */
export async function runOnce<TSchema extends Record<string, unknown>>(
  tx: Db<TSchema>,
  table: ProcessedEventsTable,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await tx
    .insert(table)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: table.eventId });
  return inserted.length > 0;
}

/** Forgets applied events older than `olderThan` (beyond the bus's redelivery horizon). */
export async function purgeProcessedEvents<TSchema extends Record<string, unknown>>(
  db: Db<TSchema>,
  table: ProcessedEventsTable,
  olderThan: Date,
): Promise<void> {
  await db.delete(table).where(lt(table.processedAt, olderThan));
}
