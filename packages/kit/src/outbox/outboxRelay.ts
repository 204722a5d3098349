import { and, asc, desc, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { BusEvent, EventBus } from '../events/eventBus.js';
import { tracePublish } from '../events/eventTracing.js';
import { executeRows } from '../sql/executeRows.js';
import { preparedQuery } from '../sql/sqlTracing.js';
import type { SqlDatabase, SqlLock } from '../sql/sqlDatabase.js';
import type { OutboxTable } from './outboxTable.js';
import { TopicBackoff } from './topicBackoff.js';

export interface OutboxRelayLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Callbacks for metrics (the service maps them to counters). */
export interface OutboxRelayHooks {
  published?(topic: string, count: number): void;
  failed?(topic: string, error: unknown): void;
}

export interface OutboxRelayOptions<TSchema extends Record<string, unknown>> {
  database: SqlDatabase<TSchema>;
  table: OutboxTable;
  bus: Pick<EventBus, 'publish'>;
  /** Rows read and published per batch (default 200). */
  batchSize?: number;
  /** Idle wait between polls when `notify()` is not called, and between a standby relay's attempts to take over (default 500 ms). */
  pollIntervalMs?: number;
  /** First and largest wait before retrying a topic whose publish failed (default 250 ms and 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  logger?: OutboxRelayLogger;
  hooks?: OutboxRelayHooks;
}

export interface OutboxBacklog {
  /** Unpublished rows. */
  count: number;
  /** Age of the oldest unpublished row, by the database's clock; null when there is none. */
  oldestAgeMs: number | null;
}

interface BatchResult {
  claimed: number;
  published: number;
  failures: { topic: string; error: unknown }[];
}

type OutboxRow = OutboxTable['$inferSelect'];

/**
 * Publishes outbox rows to the event bus, oldest first, at least once.
 *
 * Among replicas, the relay holding the table's lock (`SqlDatabase.tryLock`) publishes and the
 * others stand by, so events of one key are never published out of order by two relays.
 * No transaction stays open while publishing: PGlite runs every query behind an open
 * transaction, and the in-process bus resolves `publish()` only after handlers, which use the
 * same database, are done. Rows are marked published after the bus accepts them; a crash in
 * between publishes them again (consumers are idempotent).
 */
export class OutboxRelay<TSchema extends Record<string, unknown> = Record<string, never>> {
  private readonly database: SqlDatabase<TSchema>;
  private readonly table: OutboxTable;
  private readonly bus: Pick<EventBus, 'publish'>;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryMaxMs: number;
  private readonly logger: OutboxRelayLogger | undefined;
  private readonly hooks: OutboxRelayHooks;
  private readonly lockKey: string;
  private readonly backoff: TopicBackoff;
  /** The batch read (when no topic waits to retry) and the mark after a publish, built once (see preparedQuery). */
  private readonly pendingBatch;
  private readonly markPublished;

  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private wakeRequested = false;
  private readFailures = 0;
  private leadership: SqlLock | undefined;
  /** Serialises this relay's batches (background loop and `flush()`). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxRelayOptions<TSchema>) {
    this.database = options.database;
    this.table = options.table;
    this.bus = options.bus;
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.logger = options.logger;
    this.hooks = options.hooks ?? {};
    this.backoff = new TopicBackoff(options.retryBaseMs ?? 250, this.retryMaxMs);
    const { schema, name } = getTableConfig(this.table);
    this.lockKey = `uitgo:outbox-relay:${schema ?? 'public'}.${name}`;
    const t = this.table;
    this.pendingBatch = preparedQuery(this.database.db, `outbox_pending_${name}`, (db) =>
      db.select().from(t).where(isNull(t.publishedAt)).orderBy(asc(t.id)).limit(this.batchSize),
    );
    // One statement for any number of ids (an in (...) list would be one per count).
    this.markPublished = preparedQuery(this.database.db, `outbox_mark_published_${name}`, (db) =>
      db
        .update(t)
        .set({ publishedAt: sql`now()` })
        .where(sql`${t.id} = any(${sql.placeholder('ids')}::bigint[])`),
    );
  }

  /** Starts publishing in the background (or standing by while another replica publishes). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops after the batch in flight is published and recorded, and hands the lock over. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.serialised(() => this.resign());
  }

  /** Asks for a batch now; call it after committing a transaction that enqueued events. */
  notify(): void {
    if (!this.running) return;
    if (this.inFlight) this.wakeRequested = true;
    else this.schedule(0);
  }

  /**
   * Publishes every event pending at the call, ignoring retry back-off; returns how many this
   * relay published. If another relay holds the lock, waits (up to `timeoutMs`) for it to
   * publish them. Throws, after recording the attempt, if a publish fails.
   */
  async flush(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const horizon = await this.newestPendingId();
    let total = 0;
    try {
      while (horizon !== undefined) {
        const result = await this.serialised(async () => ((await this.lead()) ? this.publishBatch(true) : undefined));
        if (result) {
          total += result.published;
          const [failure] = result.failures;
          if (failure) throw new Error(`outbox: publishing to ${failure.topic} failed`, { cause: failure.error });
          if (result.claimed < this.batchSize) break;
          continue;
        }
        if (!(await this.hasPendingUpTo(horizon))) break;
        if (Date.now() > deadline) throw new Error('outbox: flush timed out waiting for the relay holding the lock');
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, this.pollIntervalMs)));
      }
    } finally {
      if (!this.running) await this.serialised(() => this.resign());
    }
    return total;
  }

  async pending(): Promise<OutboxBacklog> {
    const t = this.table;
    const [row] = await this.database.db
      .select({
        count: sql<number>`count(*)::int`,
        oldestAgeMs: sql<number | null>`(extract(epoch from now() - min(${t.createdAt})) * 1000)::float8`,
      })
      .from(t)
      .where(isNull(t.publishedAt));
    return { count: row?.count ?? 0, oldestAgeMs: row?.oldestAgeMs ?? null };
  }

  /** Deletes rows published before `olderThan` (kept until then to investigate deliveries); returns how many. */
  async purgePublished(olderThan: Date): Promise<number> {
    const t = this.table;
    const [row] = await executeRows<{ count: number }, TSchema>(
      this.database.db,
      sql`with deleted as (delete from ${t} where ${t.publishedAt} < ${olderThan.toISOString()}::timestamptz returning 1)
          select count(*)::int as count from deleted`,
    );
    return row?.count ?? 0;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick();
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.wakeRequested = false;
    let nextDelay = this.pollIntervalMs;
    try {
      const result = await this.serialised(async () => ((await this.lead()) ? this.publishBatch(false) : undefined));
      this.readFailures = 0;
      if (result?.claimed === this.batchSize) nextDelay = 0;
      else if (result) nextDelay = Math.min(this.pollIntervalMs, this.backoff.nextRetryIn() ?? Infinity);
    } catch (error) {
      this.readFailures += 1;
      nextDelay = Math.min(this.retryMaxMs, this.pollIntervalMs * 2 ** (this.readFailures - 1));
      this.logger?.error({ err: error, retryInMs: nextDelay }, 'outbox relay could not read the outbox');
    }
    this.inFlight = undefined;
    this.schedule(this.wakeRequested ? 0 : nextDelay);
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True while this relay holds the table's lock, taking it if it is free. */
  private async lead(): Promise<boolean> {
    if (this.leadership) {
      if (await this.leadership.isHeld()) return true;
      this.logger?.warn({ table: this.lockKey }, 'outbox relay lost its lock');
      await this.resign();
    }
    this.leadership = await this.database.tryLock(this.lockKey);
    return this.leadership !== undefined;
  }

  private async resign(): Promise<void> {
    const lock = this.leadership;
    this.leadership = undefined;
    await lock?.release().catch(() => undefined);
  }

  private async publishBatch(ignoreBackoff: boolean): Promise<BatchResult> {
    const rows = await this.oldestPending(ignoreBackoff ? [] : this.backoff.blocked());
    const result: BatchResult = { claimed: rows.length, published: 0, failures: [] };
    const failedTopics = new Set<string>();
    for (const { topic, rows: run } of runsByTopic(rows)) {
      // A later run of a topic that just failed would overtake the failed events of its keys.
      if (failedTopics.has(topic)) continue;
      const ids = run.map((row) => row.id);
      const events = run.map(toBusEvent);
      // Tracing on: a producer span per event, in the trace of the request that wrote it.
      const traced = tracePublish(topic, events);
      try {
        await this.bus.publish(topic, traced?.events ?? events);
        traced?.end();
      } catch (error) {
        traced?.end(error);
        failedTopics.add(topic);
        await this.recordFailure(ids, error);
        const retryInMs = this.backoff.failed(topic);
        result.failures.push({ topic, error });
        this.hooks.failed?.(topic, error);
        this.logger?.warn({ err: error, topic, events: run.length, retryInMs }, 'outbox publish failed');
        continue;
      }
      await this.markPublished({ ids });
      this.backoff.succeeded(topic);
      result.published += run.length;
      this.hooks.published?.(topic, run.length);
    }
    return result;
  }

  /** Oldest unpublished rows, leaving out topics waiting to retry so their order per key holds. */
  private oldestPending(blockedTopics: string[]): Promise<OutboxRow[]> {
    if (blockedTopics.length === 0) return this.pendingBatch({});
    const t = this.table;
    return this.database.db
      .select()
      .from(t)
      .where(and(isNull(t.publishedAt), notInArray(t.topic, blockedTopics)))
      .orderBy(asc(t.id))
      .limit(this.batchSize);
  }

  private async newestPendingId(): Promise<number | undefined> {
    const t = this.table;
    const [row] = await this.database.db.select({ id: t.id }).from(t).where(isNull(t.publishedAt)).orderBy(desc(t.id)).limit(1);
    return row?.id;
  }

  private async hasPendingUpTo(id: number): Promise<boolean> {
    const t = this.table;
    const rows = await this.database.db.select({ id: t.id }).from(t).where(and(isNull(t.publishedAt), lte(t.id, id))).limit(1);
    return rows.length > 0;
  }

  private async recordFailure(ids: number[], error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    await this.database.db
      .update(this.table)
      .set({ attempts: sql`${this.table.attempts} + 1`, lastError: message })
      .where(inArray(this.table.id, ids));
  }
}

/**
 * Splits rows (in id order) into consecutive runs of one topic: one publish per run, and
 * events reach the bus in the order they were committed, across topics too.
 */
function runsByTopic(rows: OutboxRow[]): { topic: string; rows: OutboxRow[] }[] {
  const runs: { topic: string; rows: OutboxRow[] }[] = [];
  for (const row of rows) {
    const last = runs.at(-1);
    if (last?.topic === row.topic) last.rows.push(row);
    else runs.push({ topic: row.topic, rows: [row] });
  }
  return runs;
}

function toBusEvent(row: OutboxRow): BusEvent {
  return {
    id: row.eventId,
    type: row.type,
    key: row.key,
    occurredAt: row.occurredAt.toISOString(),
    ...(row.traceId ? { traceId: row.traceId } : {}),
    ...(row.traceParent ? { traceParent: row.traceParent } : {}),
    payload: row.payload,
  };
}
