import { topicOf, type UitgoEvent } from '@uitgo/contracts';
import { enqueueEvents, outboxInsert } from '@uitgo/kit/outbox';
import { assertBeforeDeadline, type RequestContext } from '@uitgo/kit';
import { BuiltStatements, fieldsOf, placeholderOf, preparedQuery, tracedDb, type Db, type Tx } from '@uitgo/kit/sql';
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import * as schema from '../db/schema.js';
import { ActiveTripExists, DriverBusy, IdempotencyKeyReused, QuoteAlreadyUsed } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import type { ChangeOutcome, DispatchClaim, NewTripOutcome, OfferRecord, QuoteRecord, RatingRecord, TripChange, TripPageQuery, TripRepository } from '../ports/tripRepository.js';
import { DriverTaskQueries } from './drizzleDriverTasks.js';
import { offerFromRow, quoteFromRow, quoteRow, tripChangeColumns, tripFromRow, tripInsertRow } from './tripRows.js';

const { trips, offers, quotes } = schema;

class Conflict extends Error {}

/** The unique index a write violated, if that is why it failed (postgres.js and PGlite name it differently). */
function violatedIndex(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const error = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (error.code === '23505') return String(error.constraint_name ?? error.constraint ?? '');
  }
  return undefined;
}

/** trips-db over drizzle (postgres.js or PGlite); events go to the outbox in the transaction that makes the change. */
export class DrizzleTripRepository extends DriverTaskQueries implements TripRepository {
  // The reads every trip makes several times, built once (see preparedQuery).
  private readonly tripById;
  private readonly tripByKey;
  private readonly pendingOfferOf;
  private readonly offeredDrivers;
  /** The writes every trip's transactions send, built once per shape (see BuiltStatements). */
  private readonly built;

  constructor(
    db: Db<typeof schema>,
    private readonly onCommitted: (change: { events: number; tasks: number }) => void,
  ) {
    super(db);
    const param = (name: string) => sql.placeholder(name);
    this.tripById = preparedQuery(db, 'trip_by_id', (d) => d.select().from(trips).where(eq(trips.id, param('id'))));
    this.tripByKey = preparedQuery(db, 'trip_by_idempotency_key', (d) =>
      d
        .select()
        .from(trips)
        .where(and(eq(trips.passengerId, param('passengerId')), eq(trips.idempotencyKey, param('key')))),
    );
    this.pendingOfferOf = preparedQuery(db, 'pending_offer_of_trip', (d) =>
      d
        .select()
        .from(offers)
        .where(and(eq(offers.tripId, param('tripId')), eq(offers.status, 'pending'))),
    );
    this.offeredDrivers = preparedQuery(db, 'drivers_offered_trip', (d) => d.select({ driverId: offers.driverId }).from(offers).where(eq(offers.tripId, param('tripId'))));
    this.built = new BuiltStatements(db);
  }

  async saveQuote(quote: QuoteRecord, context?: RequestContext): Promise<void> {
    const db = tracedDb(this.db, context);
    await db.insert(quotes).values(quoteRow(quote));
  }

  async findQuote(id: string, context?: RequestContext): Promise<QuoteRecord | null> {
    const db = tracedDb(this.db, context);
    const [row] = await db.select().from(quotes).where(eq(quotes.id, id));
    return row ? quoteFromRow(row) : null;
  }

  async countRequestsInCell(cell: string, since: Date, context?: RequestContext): Promise<number> {
    const db = tracedDb(this.db, context);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(trips)
      .where(and(eq(trips.pickupCell, cell), gte(trips.createdAt, since)));
    return row?.n ?? 0;
  }

  async create(trip: TripRecord, idempotency: { key: string; requestHash: string; cell: string }, event: UitgoEvent, dispatch: DispatchClaim, context?: RequestContext): Promise<NewTripOutcome> {
    const db = tracedDb(this.db, context);
    try {
      await db.transaction(async (tx) => {
        assertBeforeDeadline(context);
        // One round trip: the row and its event are sent together; a replay (no row) rolls the event back.
        // Everything that may throw comes before the first statement starts.
        const row = fieldsOf(tripInsertRow(trip, idempotency, dispatch));
        const topic = topicOf(event.type);
        const [rows] = await Promise.all([
          this.built.run(
            tx,
            `trip insert ${row.shape}`,
            (d) =>
              d
                .insert(trips)
                .values(row.placeholders())
                .onConflictDoNothing({ target: [trips.passengerId, trips.idempotencyKey] })
                .returning({ id: trips.id }),
            row.params,
          ),
          outboxInsert(tx, schema.outbox, topic, [event], context, this.built),
        ]);
        if (rows.length === 0) throw new Conflict();
      });
      this.onCommitted({ events: 1, tasks: 0 });
      return { trip, replayed: false };
    } catch (err) {
      // The key's trip exists already, or a racing request with the same key tripped another unique index first.
      if (!(err instanceof Conflict) && violatedIndex(err) === undefined) throw err;
    }
    const existing = await this.findByIdempotencyKey(trip.passengerId, idempotency.key, context);
    if (existing) {
      if (existing.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused();
      return { trip: existing.trip, replayed: true };
    }
    // trips_one_per_quote refused it, or the one-active-trip index did first while the quote's trip is
    // active: a spent quote is the reason that lasts (canceling that trip would not let this request through).
    if (trip.quoteId && (await this.quoteUsed(trip.quoteId, context))) throw new QuoteAlreadyUsed();
    throw new ActiveTripExists();
  }

  private async quoteUsed(quoteId: string, context?: RequestContext): Promise<boolean> {
    const db = tracedDb(this.db, context);
    const [row] = await db.select({ id: trips.id }).from(trips).where(eq(trips.quoteId, quoteId)).limit(1);
    return row !== undefined;
  }

  async find(id: string, context?: RequestContext): Promise<TripRecord | null> {
    const [row] = await this.tripById({ id }, context);
    return row ? tripFromRow(row) : null;
  }

  async findByIdempotencyKey(passengerId: string, key: string, context?: RequestContext): Promise<{ trip: TripRecord; requestHash: string } | null> {
    const [row] = await this.tripByKey({ passengerId, key }, context);
    return row ? { trip: tripFromRow(row), requestHash: row.requestHash } : null;
  }

  async list(query: TripPageQuery, context?: RequestContext): Promise<TripRecord[]> {
    const db = tracedDb(this.db, context);
    const conditions: SQL[] = [];
    if (query.passengerId) conditions.push(eq(trips.passengerId, query.passengerId));
    if (query.driverId) conditions.push(eq(trips.driverId, query.driverId));
    if (query.status) conditions.push(eq(trips.status, query.status));
    if (query.after) {
      const { createdAt, id } = query.after;
      conditions.push(or(lt(trips.createdAt, createdAt), and(eq(trips.createdAt, createdAt), lt(trips.id, id)))!);
    }
    const rows = await db
      .select()
      .from(trips)
      .where(and(...conditions))
      .orderBy(desc(trips.createdAt), desc(trips.id))
      .limit(query.limit);
    return rows.map(tripFromRow);
  }

  async scan(after: string | null, limit: number): Promise<TripRecord[]> {
    const rows = await this.db
      .select()
      .from(trips)
      .where(after ? gt(trips.id, after) : undefined)
      .orderBy(asc(trips.id))
      .limit(limit);
    return rows.map(tripFromRow);
  }

  async apply(change: TripChange, context?: RequestContext): Promise<ChangeOutcome> {
    const db = tracedDb(this.db, context);
    try {
      await db.transaction((tx) => {
        assertBeforeDeadline(context);
        return this.write(tx, change, context);
      });
    } catch (err) {
      if (err instanceof Conflict) return { ok: false, reason: 'conflict' };
      if (violatedIndex(err)?.includes('one_active_per_driver')) throw new DriverBusy('The driver is already on another trip');
      throw err;
    }
    this.onCommitted({ events: change.events?.length ?? 0, tasks: change.tasks?.length ?? 0 });
    return { ok: true };
  }

  /**
   * Sends every statement of the change at once (pipelined on the transaction's connection and
   * run in this order: the offer, then the trip row, which locks it before its events get outbox
   * ids), then checks the guards. A guard that matched no row is a conflict, whatever the later
   * statements did (they ran against a stale state, e.g. a new offer of a dispatcher whose claim
   * was taken, and roll back with the rest); otherwise the first failure is the change's.
   */
  private async write(tx: Tx<typeof schema>, change: TripChange, context: RequestContext | undefined): Promise<void> {
    const none = Promise.resolve([] as { id: string }[]);
    const param = (name: string) => sql.placeholder(name);
    // Statements start as they are made: what may throw comes first, so none is left running unawaited.
    const events = (change.events ?? []).map((event) => ({ event, topic: topicOf(event.type) }));
    const { resolveOffer } = change;
    let offerResolved = none;
    if (resolveOffer) {
      const resolution = fieldsOf({ status: resolveOffer.to, resolvedAt: resolveOffer.at });
      offerResolved = this.built.run<{ id: string }>(
        tx,
        `offer resolve ${resolution.shape} ${resolveOffer.live ? 'live' : ''} ${resolveOffer.expiredBy ? 'expired' : ''}`,
        (d) =>
          d
            .update(offers)
            .set(resolution.placeholders())
            .where(
              and(
                eq(offers.id, param('where_id')),
                eq(offers.status, 'pending'),
                resolveOffer.live ? gt(offers.expiresAt, placeholderOf(offers.expiresAt, 'where_live')) : undefined,
                resolveOffer.expiredBy ? lte(offers.expiresAt, placeholderOf(offers.expiresAt, 'where_expired_by')) : undefined,
              ),
            )
            .returning({ id: offers.id }),
        { ...resolution.params, where_id: resolveOffer.id, where_live: resolveOffer.live, where_expired_by: resolveOffer.expiredBy },
      );
    }
    const tripChange = change.trip;
    let tripUpdated = none;
    if (tripChange) {
      const set = fieldsOf({
        ...tripChangeColumns(tripChange.next),
        version: tripChange.expectedVersion + 1,
        ...(tripChange.dispatchDueAt !== undefined ? { dispatchDueAt: tripChange.dispatchDueAt } : {}),
      });
      tripUpdated = this.built.run<{ id: string }>(
        tx,
        `trip update ${set.shape} ${tripChange.requireClaim ? 'claimed' : ''}`,
        (d) =>
          d
            .update(trips)
            .set(set.placeholders())
            .where(
              and(
                eq(trips.id, param('where_id')),
                eq(trips.version, param('where_version')),
                tripChange.requireClaim ? eq(trips.dispatchClaim, param('where_claim')) : undefined,
              ),
            )
            .returning({ id: trips.id }),
        { ...set.params, where_id: tripChange.next.id, where_version: tripChange.expectedVersion, where_claim: tripChange.requireClaim },
      );
    }
    const rest: PromiseLike<unknown>[] = [];
    if (change.newOffer) rest.push(this.built.insert(tx, offers, [change.newOffer]));
    // One insert per event keeps their order.
    for (const { event, topic } of events) rest.push(outboxInsert(tx, schema.outbox, topic, [event], context, this.built));
    if (change.tasks?.length) rest.push(this.built.insert(tx, schema.driverTasks, change.tasks.map((task) => ({ ...task, dueAt: new Date(0) }))));
    const [resolved, updated, ...others] = await Promise.allSettled([offerResolved, tripUpdated, ...rest]);
    const matchedNothing = (outcome: PromiseSettledResult<{ id: string }[]>, guarded: boolean) => guarded && outcome.status === 'fulfilled' && outcome.value.length === 0;
    if (matchedNothing(resolved!, resolveOffer !== undefined) || matchedNothing(updated!, tripChange !== undefined)) throw new Conflict();
    const failed = [resolved!, updated!, ...others].find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async saveRating(rating: RatingRecord, event: UitgoEvent, context?: RequestContext): Promise<boolean> {
    const db = tracedDb(this.db, context);
    const saved = await db.transaction(async (tx) => {
      const rows = await tx.insert(schema.ratings).values(rating).onConflictDoNothing().returning({ tripId: schema.ratings.tripId });
      if (rows.length === 0) return false;
      await enqueueEvents(tx, schema.outbox, topicOf(event.type), [event], context);
      return true;
    });
    if (saved) this.onCommitted({ events: 1, tasks: 0 });
    return saved;
  }

  async findReceipt(tripId: string, context?: RequestContext): Promise<{ objectKey: string } | null> {
    const db = tracedDb(this.db, context);
    const [row] = await db.select({ objectKey: schema.receipts.objectKey }).from(schema.receipts).where(eq(schema.receipts.tripId, tripId));
    return row ?? null;
  }

  async saveReceipt(receipt: { tripId: string; objectKey: string; sizeBytes: number; createdAt: Date }, context?: RequestContext): Promise<void> {
    const db = tracedDb(this.db, context);
    await db.insert(schema.receipts).values(receipt).onConflictDoNothing();
  }

  async findOffer(tripId: string, driverId: string, context?: RequestContext): Promise<OfferRecord | null> {
    const db = tracedDb(this.db, context);
    const [row] = await db
      .select()
      .from(offers)
      .where(and(eq(offers.tripId, tripId), eq(offers.driverId, driverId)))
      .orderBy(desc(offers.attempt))
      .limit(1);
    return row ? offerFromRow(row) : null;
  }

  async pendingOffer(tripId: string, context?: RequestContext): Promise<OfferRecord | null> {
    const [row] = await this.pendingOfferOf({ tripId }, context);
    return row ? offerFromRow(row) : null;
  }

  async pendingOffersOf(driverId: string, context?: RequestContext): Promise<OfferRecord[]> {
    const db = tracedDb(this.db, context);
    const rows = await db
      .select()
      .from(offers)
      .where(and(eq(offers.driverId, driverId), eq(offers.status, 'pending')))
      .orderBy(desc(offers.createdAt));
    return rows.map(offerFromRow);
  }

  async askedDrivers(tripId: string, context?: RequestContext): Promise<Set<string>> {
    const rows = await this.offeredDrivers({ tripId }, context);
    return new Set(rows.map((r) => r.driverId));
  }

  async listOffers(tripId: string, context?: RequestContext): Promise<OfferRecord[]> {
    const db = tracedDb(this.db, context);
    const rows = await db.select().from(offers).where(eq(offers.tripId, tripId)).orderBy(asc(offers.attempt));
    return rows.map(offerFromRow);
  }

  async claimDue(now: Date, leaseUntil: Date, claim: string, options: { limit: number; tripId?: string }, context?: RequestContext): Promise<string[]> {
    const db = tracedDb(this.db, context);
    const due = and(lte(trips.dispatchDueAt, now), options.tripId ? eq(trips.id, options.tripId) : undefined);
    const candidates = db
      .select({ id: trips.id })
      .from(trips)
      .where(due)
      .orderBy(asc(trips.dispatchDueAt))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    const claimed = await db
      .update(trips)
      .set({ dispatchDueAt: leaseUntil, dispatchClaim: claim })
      .where(and(inArray(trips.id, candidates), due))
      .returning({ id: trips.id });
    return claimed.map((row) => row.id);
  }
}
