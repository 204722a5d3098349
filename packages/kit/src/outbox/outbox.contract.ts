import { randomUUID } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BusEvent } from '../events/eventBus.js';
import type { SqlDatabase } from '../sql/sqlDatabase.js';
import type { KitTestTables } from '../sql/test-fixtures/index.js';
import { outbox, processedEvents, widgets } from '../sql/test-fixtures/schema.js';
import { enqueueEvents, outboxInsert } from './enqueueEvents.js';
import { OutboxRelay, type OutboxRelayOptions } from './outboxRelay.js';
import { RecordingBus } from './recordingBus.js';
import { runOnce } from './runOnce.js';

type Database = SqlDatabase<KitTestTables>;

const event = (key: string, n: number): BusEvent => ({
  id: randomUUID(),
  type: 'widget.v1.changed',
  key,
  occurredAt: new Date().toISOString(),
  traceId: `trace-${key}-${n}`,
  payload: { n, key },
});

/** Commits a widget and its events in one transaction, as a use-case would. */
async function commitWithEvents(database: Database, topic: string, events: BusEvent[]): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.insert(widgets).values({ id: randomUUID(), name: topic, attributes: {}, createdAt: new Date() });
    await enqueueEvents(tx, outbox, topic, events);
  });
}

const waitUntil = (assertion: () => void | Promise<void>) => vi.waitFor(assertion, { timeout: 10_000, interval: 10 });

/**
 * The outbox against one SqlDatabase adapter. `makeAdapter` returns a database with the
 * `kit_test` schema migrated; it is called twice to act as two replicas.
 */
export function outboxContract(name: string, makeAdapter: () => Promise<Database>): void {
  describe(`outbox contract: ${name}`, () => {
    let database: Database;
    let replica: Database;
    const relays: OutboxRelay<KitTestTables>[] = [];
    const relay = (bus: RecordingBus, options: Partial<OutboxRelayOptions<KitTestTables>> = {}) => {
      const created = new OutboxRelay({ database, table: outbox, bus, pollIntervalMs: 20, ...options });
      relays.push(created);
      return created;
    };

    beforeAll(async () => {
      database = await makeAdapter();
      replica = await makeAdapter();
    });
    beforeEach(async () => {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await database.db.delete(outbox);
      await database.db.delete(processedEvents);
    });
    afterAll(async () => {
      await Promise.all(relays.map((r) => r.stop()));
      await replica?.close();
      await database?.close();
    });

    it('publishes committed events with their envelope, then marks them published', async () => {
      const bus = new RecordingBus();
      const events = [event('trip-1', 1), event('trip-1', 2)];
      await commitWithEvents(database, 'widget.v1', events);

      await expect(relay(bus).flush()).resolves.toBe(2);

      expect(bus.published).toEqual(events.map((e) => ({ ...e, topic: 'widget.v1', publisher: 'bus' })));
      const unpublished = await database.db.select().from(outbox).where(isNull(outbox.publishedAt));
      expect(unpublished).toEqual([]);
      await expect(relay(bus).flush()).resolves.toBe(0);
    });

    it('keeps the order of outbox inserts pipelined in one transaction', async () => {
      const bus = new RecordingBus();
      const events = Array.from({ length: 30 }, (_, n) => event('trip-pipelined', n));
      await database.db.transaction(async (tx) => {
        // Sent together, the way a transition writes its row, offer and events in one round trip.
        const widget = tx.insert(widgets).values({ id: randomUUID(), name: 'pipelined', attributes: {}, createdAt: new Date() });
        await Promise.all([widget, ...events.map((e) => outboxInsert(tx, outbox, 'widget.v1', [e]))]);
      });
      await expect(relay(bus).flush()).resolves.toBe(30);
      expect(bus.published.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('rolls back every pipelined statement when one of them fails', async () => {
      const bus = new RecordingBus();
      const id = randomUUID();
      await database.db.insert(widgets).values({ id, name: 'taken', attributes: {}, createdAt: new Date() });
      await expect(
        database.db.transaction(async (tx) => {
          const before = outboxInsert(tx, outbox, 'widget.v1', [event('trip-rollback', 1)]);
          const clash = tx.insert(widgets).values({ id, name: 'again', attributes: {}, createdAt: new Date() });
          const after = outboxInsert(tx, outbox, 'widget.v1', [event('trip-rollback', 2)]);
          await Promise.all([before, clash, after]);
        }),
      ).rejects.toThrow();
      await expect(relay(bus).flush()).resolves.toBe(0);
    });

    it('publishes nothing from a rolled-back transaction', async () => {
      const bus = new RecordingBus();
      await expect(
        database.db.transaction(async (tx) => {
          await enqueueEvents(tx, outbox, 'widget.v1', [event('trip-2', 1)]);
          throw new Error('use-case failed');
        }),
      ).rejects.toThrow('use-case failed');

      await expect(relay(bus).flush()).resolves.toBe(0);
      expect(bus.published).toEqual([]);
    });

    it('keeps the order of each key across topics and batches', async () => {
      const bus = new RecordingBus();
      const expected = new Map<string, string[]>();
      for (let n = 0; n < 12; n++) {
        const key = `trip-${n % 3}`;
        const e = event(key, n);
        expected.set(key, [...(expected.get(key) ?? []), e.id]);
        await commitWithEvents(database, n % 2 === 0 ? 'trip.v1' : 'dispatch.v1', [e]);
      }

      await expect(relay(bus, { batchSize: 5 }).flush()).resolves.toBe(12);

      for (const [key, ids] of expected) expect(bus.idsFor(key)).toEqual(ids);
    });

    it('retries a failed publish later, in order, without losing events', async () => {
      const bus = new RecordingBus();
      bus.failuresLeft = 2;
      const events = Array.from({ length: 5 }, (_, n) => event('trip-3', n));
      const background = relay(bus, { retryBaseMs: 5 });
      background.start();

      for (const e of events) await commitWithEvents(database, 'trip.v1', [e]);
      background.notify();

      await waitUntil(() => expect(bus.published).toHaveLength(5));
      expect(bus.idsFor('trip-3')).toEqual(events.map((e) => e.id));
      expect(bus.attempts).toBeGreaterThanOrEqual(3);
      // The row is marked published after the bus accepted it: wait for that write too.
      await waitUntil(async () => {
        const [first] = await database.db.select().from(outbox).where(eq(outbox.eventId, events[0]!.id));
        expect(first).toMatchObject({ attempts: 2, lastError: 'broker unavailable' });
        expect(first?.publishedAt).toBeInstanceOf(Date);
      });
    });

    it('makes flush throw on a failed publish and keeps the events for the next try', async () => {
      const bus = new RecordingBus();
      bus.failuresLeft = 1;
      const e = event('trip-4', 1);
      await commitWithEvents(database, 'trip.v1', [e]);
      const flusher = relay(bus);

      await expect(flusher.flush()).rejects.toThrow('publishing to trip.v1 failed');
      expect(bus.published).toEqual([]);
      await expect(flusher.flush()).resolves.toBe(1);
      expect(bus.idsFor('trip-4')).toEqual([e.id]);
    });

    it('reports the backlog and purges published rows after the retention window', async () => {
      const bus = new RecordingBus();
      const flusher = relay(bus);
      await expect(flusher.pending()).resolves.toEqual({ count: 0, oldestAgeMs: null });
      await commitWithEvents(database, 'trip.v1', [event('trip-5', 1), event('trip-5', 2)]);

      const backlog = await flusher.pending();
      expect(backlog.count).toBe(2);
      expect(backlog.oldestAgeMs).toBeGreaterThanOrEqual(0);

      await flusher.flush();
      await expect(flusher.pending()).resolves.toEqual({ count: 0, oldestAgeMs: null });
      await expect(flusher.purgePublished(new Date(Date.now() - 60_000))).resolves.toBe(0);
      await expect(flusher.purgePublished(new Date(Date.now() + 60_000))).resolves.toBe(2);
      await expect(database.db.select().from(outbox)).resolves.toEqual([]);
    });

    it('lets one of two replicas publish at a time, and the other take over when it stops', async () => {
      const bus = new RecordingBus();
      const first = relay(bus.forPublisher('first'));
      const second = new OutboxRelay({ database: replica, table: outbox, bus: bus.forPublisher('second'), pollIntervalMs: 20 });
      relays.push(second);
      first.start();
      await commitWithEvents(database, 'trip.v1', [event('trip-6', 0)]);
      await waitUntil(() => expect(bus.published.map((e) => e.publisher)).toEqual(['first']));
      second.start();

      const keys = ['trip-7', 'trip-8', 'trip-9'];
      const events = Array.from({ length: 30 }, (_, n) => event(keys[n % 3]!, n));
      for (const e of events) {
        await commitWithEvents(database, 'trip.v1', [e]);
        first.notify();
        second.notify();
      }
      await waitUntil(() => expect(bus.published).toHaveLength(31));
      await first.stop();
      const late = event('trip-7', 99);
      await commitWithEvents(replica, 'trip.v1', [late]);
      second.notify();
      await waitUntil(() => expect(bus.published).toHaveLength(32));

      expect(bus.maxConcurrentPerEvent).toBe(1);
      expect(new Set(bus.published.map((e) => e.id)).size).toBe(32);
      expect(bus.published.at(-1)).toMatchObject({ id: late.id, publisher: 'second' });
      for (const key of keys) {
        const ids = [...events.filter((e) => e.key === key), ...(key === 'trip-7' ? [late] : [])].map((e) => e.id);
        expect(bus.idsFor(key)).toEqual(ids);
      }
    });

    it('runOnce says true the first time a consumer applies an event, false afterwards', async () => {
      const eventId = randomUUID();
      const first = await database.db.transaction((tx) => runOnce(tx, processedEvents, 'projector', eventId));
      const again = await database.db.transaction((tx) => runOnce(tx, processedEvents, 'projector', eventId));
      const otherConsumer = await runOnce(database.db, processedEvents, 'notifier', eventId);
      expect([first, again, otherConsumer]).toEqual([true, false, true]);
    });

    it('runOnce forgets an event whose transaction rolled back', async () => {
      const eventId = randomUUID();
      await expect(
        database.db.transaction(async (tx) => {
          expect(await runOnce(tx, processedEvents, 'projector', eventId)).toBe(true);
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      await expect(runOnce(database.db, processedEvents, 'projector', eventId)).resolves.toBe(true);
    });
  });
}
