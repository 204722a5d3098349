import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent, DeliveredEvent, EventBus, SubscribeOptions, Subscription } from './eventBus.js';

export interface EventBusHarness {
  /** A fresh bus; the suite closes it after each test. */
  make(): Promise<EventBus>;
  /** Creates the topics (Kafka: through the admin client) with `partitions` partitions. */
  createTopics(bus: EventBus, topics: string[], partitions: number): Promise<void>;
  /** A bus pointed at a broker that does not answer, when the adapter has one. */
  unreachable?: () => Promise<EventBus>;
  /** How long to wait for deliveries (Kafka group joins and rebalances take seconds). */
  timeoutMs: number;
}

const PARTITIONS = 4;

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

function makeEvents(keys: string[], perKey: number, tag = 'e'): BusEvent[] {
  const events: BusEvent[] = [];
  for (let seq = 0; seq < perKey; seq++) {
    for (const key of keys) {
      events.push({
        id: `${tag}-${key}-${seq}`,
        type: 'test.v1.Happened',
        key,
        occurredAt: new Date().toISOString(),
        traceId: `trace-${seq}`,
        payload: { seq, key },
      });
    }
  }
  return events;
}

/** Records what a subscription receives. */
class Inbox {
  readonly events: DeliveredEvent[] = [];
  readonly batchSizes: number[] = [];
  handle = async (events: DeliveredEvent[]): Promise<void> => {
    this.batchSizes.push(events.length);
    this.events.push(...events);
  };
  ids(): string[] {
    return this.events.map((e) => e.id);
  }
  has(ids: string[]): boolean {
    const seen = new Set(this.ids());
    return ids.every((id) => seen.has(id));
  }
}

export function eventBusContract(name: string, harness: EventBusHarness): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    let subscriptions: Subscription[];
    const timeout = harness.timeoutMs;

    beforeEach(async () => {
      bus = await harness.make();
      subscriptions = [];
    });
    afterEach(async () => {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await bus.close();
    });

    async function topic(): Promise<string> {
      const t = unique('contract');
      await harness.createTopics(bus, [t], PARTITIONS);
      return t;
    }
    async function subscribe(options: SubscribeOptions): Promise<Subscription> {
      const subscription = await bus.subscribe(options);
      subscriptions.push(subscription);
      return subscription;
    }

    it('delivers published events with their envelope and position', async () => {
      const t = await topic();
      const inbox = new Inbox();
      await subscribe({ groupId: unique('g'), topics: [t], fromBeginning: true, handle: inbox.handle });
      const events = makeEvents(['trip-1'], 3);
      await bus.publish(t, events);
      await waitUntil(() => inbox.events.length >= 3, timeout, '3 events');
      expect(inbox.events.map(({ topic: _t, partition: _p, offset: _o, ...event }) => event)).toEqual(events);
      const [first, second] = inbox.events;
      expect(first).toMatchObject({ topic: t, partition: expect.any(Number) });
      expect(BigInt(second!.offset)).toBe(BigInt(first!.offset) + 1n);
    });

    it('keeps the order per key across many keys and partitions, in bounded batches', async () => {
      const t = await topic();
      const inbox = new Inbox();
      await subscribe({ groupId: unique('g'), topics: [t], fromBeginning: true, maxBatchSize: 7, handle: inbox.handle });
      const keys = Array.from({ length: 24 }, (_, i) => `driver-${i}`);
      const events = makeEvents(keys, 10);
      for (let i = 0; i < events.length; i += 40) await bus.publish(t, events.slice(i, i + 40));
      await waitUntil(() => inbox.events.length >= events.length, timeout, `${events.length} events`);
      for (const key of keys) {
        const seqs = inbox.events.filter((e) => e.key === key).map((e) => (e.payload as { seq: number }).seq);
        expect(seqs, key).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
      expect(new Set(inbox.events.map((e) => e.partition)).size).toBeGreaterThan(1);
      expect(Math.max(...inbox.batchSizes)).toBeLessThanOrEqual(7);
    });

    it('delivers a batch again when the handler throws, then commits it', async () => {
      const t = await topic();
      const groupId = unique('g');
      const keys = ['k1', 'k2', 'k3'];
      const events = makeEvents(keys, 4);
      const inbox = new Inbox();
      let failed = 0;
      const first = await subscribe({
        groupId,
        topics: [t],
        fromBeginning: true,
        handle: async (batch) => {
          if (failed === 0 && batch.some((e) => e.id === events[5]!.id)) {
            failed += 1;
            throw new Error('transient failure');
          }
          await inbox.handle(batch);
        },
      });
      await bus.publish(t, events);
      await waitUntil(() => inbox.has(events.map((e) => e.id)), timeout, 'every event after the retry');
      expect(failed).toBe(1);
      for (const key of keys) {
        const seqs = inbox.events.filter((e) => e.key === key).map((e) => (e.payload as { seq: number }).seq);
        expect(seqs, key).toEqual([0, 1, 2, 3]);
      }

      await first.stop();
      const again = new Inbox();
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: again.handle });
      const markers = makeEvents(keys, 1, 'marker');
      await bus.publish(t, markers);
      await waitUntil(() => again.has(markers.map((e) => e.id)), timeout, 'the markers');
      expect(again.ids().sort()).toEqual(markers.map((e) => e.id).sort());
    });

    it('gives every event to each of two groups', async () => {
      const t = await topic();
      const [a, b] = [new Inbox(), new Inbox()];
      await subscribe({ groupId: unique('ga'), topics: [t], fromBeginning: true, handle: a.handle });
      await subscribe({ groupId: unique('gb'), topics: [t], fromBeginning: true, handle: b.handle });
      const events = makeEvents(['a', 'b', 'c', 'd', 'e'], 4);
      await bus.publish(t, events);
      const ids = events.map((e) => e.id);
      await waitUntil(() => a.has(ids) && b.has(ids), timeout, 'both groups');
      expect(a.ids().sort()).toEqual([...ids].sort());
      expect(b.ids().sort()).toEqual([...ids].sort());
    });

    it('splits the partitions between two members of one group, each event handled once', async () => {
      const t = await topic();
      const groupId = unique('g');
      const [a, b] = [new Inbox(), new Inbox()];
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: a.handle });
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: b.handle });
      const events = makeEvents(Array.from({ length: 32 }, (_, i) => `trip-${i}`), 2);
      await bus.publish(t, events);
      const ids = events.map((e) => e.id);
      await waitUntil(() => a.events.length + b.events.length >= ids.length, timeout, 'all events across members');
      expect([...a.ids(), ...b.ids()].sort()).toEqual([...ids].sort());
      expect(a.events.length).toBeGreaterThan(0);
      expect(b.events.length).toBeGreaterThan(0);
      const partitionsOf = (inbox: Inbox) => new Set(inbox.events.map((e) => e.partition));
      expect([...partitionsOf(a)].filter((p) => partitionsOf(b).has(p))).toEqual([]);
    });

    it('starts a new group at the beginning only when asked to', async () => {
      const t = await topic();
      const before = makeEvents(['trip-9'], 3, 'before');
      await bus.publish(t, before);
      const [early, late] = [new Inbox(), new Inbox()];
      await subscribe({ groupId: unique('early'), topics: [t], fromBeginning: true, handle: early.handle });
      await subscribe({ groupId: unique('late'), topics: [t], handle: late.handle });
      const after = makeEvents(['trip-9'], 1, 'after');
      await bus.publish(t, after);
      await waitUntil(() => early.events.length >= 4 && late.events.length >= 1, timeout, 'both groups');
      expect(early.ids()).toEqual([...before, ...after].map((e) => e.id));
      expect(late.ids()).toEqual(after.map((e) => e.id));
    });

    it('resumes after the last committed offset when the group subscribes again', async () => {
      const t = await topic();
      const groupId = unique('g');
      const keys = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      const first = new Inbox();
      const subscription = await subscribe({ groupId, topics: [t], fromBeginning: true, handle: first.handle });
      const batch1 = makeEvents(keys, 3, 'one');
      await bus.publish(t, batch1);
      await waitUntil(() => first.has(batch1.map((e) => e.id)), timeout, 'the first batch');
      await subscription.stop();

      const batch2 = makeEvents(keys, 2, 'two');
      await bus.publish(t, batch2);
      const second = new Inbox();
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: second.handle });
      await waitUntil(() => second.has(batch2.map((e) => e.id)), timeout, 'the second batch');
      expect(second.ids().sort()).toEqual(batch2.map((e) => e.id).sort());
      expect(first.events).toHaveLength(batch1.length);
    });

    it('stop() waits for the in-flight batch and commits it', async () => {
      const t = await topic();
      const groupId = unique('g');
      let entered = false;
      let finished = false;
      const handled: string[] = [];
      const subscription = await subscribe({
        groupId,
        topics: [t],
        fromBeginning: true,
        handle: async (events) => {
          entered = true;
          // A slow handler: stop() is called while it runs.
          await new Promise((resolve) => setTimeout(resolve, 300));
          handled.push(...events.map((e) => e.id));
          finished = true;
        },
      });
      const events = makeEvents(['s1'], 2);
      const publishing = bus.publish(t, events).catch(() => undefined);
      await waitUntil(() => entered, timeout, 'the handler to start');
      const finishedWhenStopped = await subscription.stop().then(() => finished);
      expect(finishedWhenStopped).toBe(true);
      await publishing;

      const again = new Inbox();
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: again.handle });
      const marker = makeEvents(['s1'], 1, 'marker');
      await bus.publish(t, marker);
      await waitUntil(() => again.has(marker.map((e) => e.id)), timeout, 'the marker');
      expect([...handled, ...again.ids()].sort()).toEqual([...events, ...marker].map((e) => e.id).sort());
    });

    it("stop() aborts the signal of a handler still running; the batch it leaves unfinished is delivered again", async () => {
      const t = await topic();
      const groupId = unique('g');
      let entered = false;
      const subscription = await subscribe({
        groupId,
        topics: [t],
        fromBeginning: true,
        // A handler that would never finish on its own (an archive write of a huge backlog): only the stop ends it.
        handle: (_events, { signal }) =>
          new Promise<void>((_resolve, reject) => {
            entered = true;
            signal.addEventListener('abort', () => reject(new Error('stopping')), { once: true });
          }),
      });
      const events = makeEvents(['u1'], 3);
      const publishing = bus.publish(t, events).catch(() => undefined);
      await waitUntil(() => entered, timeout, 'the handler to start');
      await subscription.stop();
      await publishing;

      const again = new Inbox();
      await subscribe({ groupId, topics: [t], fromBeginning: true, handle: again.handle });
      await waitUntil(() => again.has(events.map((e) => e.id)), timeout, 'the unfinished batch again');
    });

    it('keeps a batch still held at stop uncommitted, and the batches after it: the group gets them again', async () => {
      const t = await topic();
      const groupId = unique('g');
      const first = new Inbox();
      const subscription = await subscribe({
        groupId,
        topics: [t],
        holdWaitAtStopMs: 100,
        handle: async (events, control) => {
          // A handler that buffers and never gets to write: the process dies with the points in memory.
          if (events.some((e) => e.id.startsWith('held'))) control.hold();
          await first.handle(events);
        },
      });
      const held = makeEvents(['h1'], 2, 'held');
      const after = makeEvents(['h1'], 2, 'after');
      await bus.publish(t, held);
      await waitUntil(() => first.has(held.map((e) => e.id)), timeout, 'the held batch');
      await bus.publish(t, after);
      await waitUntil(() => first.has(after.map((e) => e.id)), timeout, 'the batch after it');
      await subscription.stop();

      const again = new Inbox();
      await subscribe({ groupId, topics: [t], handle: again.handle });
      await waitUntil(() => again.has([...held, ...after].map((e) => e.id)), timeout, 'both batches again');
      expect(again.ids()).toEqual([...held, ...after].map((e) => e.id));
    });

    it('commits held batches once released, the later one released first; stop() waits for releases', async () => {
      const t = await topic();
      const groupId = unique('g');
      const releases: (() => void)[] = [];
      const first = new Inbox();
      const subscription = await subscribe({
        groupId,
        topics: [t],
        handle: async (events, control) => {
          releases.push(control.hold());
          await first.handle(events);
        },
      });
      const one = makeEvents(['r1'], 2, 'one');
      const two = makeEvents(['r1'], 2, 'two');
      await bus.publish(t, one);
      await waitUntil(() => first.has(one.map((e) => e.id)), timeout, 'the first batch');
      await bus.publish(t, two);
      await waitUntil(() => first.has(two.map((e) => e.id)), timeout, 'the second batch');
      // The later batch is released now, the earlier one only when the stop asks to flush.
      expect(releases.length).toBeGreaterThanOrEqual(2);
      for (const release of releases.slice(1)) release();
      // A release called twice counts once.
      releases.at(-1)!();
      const stopping = new AbortController();
      subscription
        .stop()
        .then(() => stopping.abort())
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopping.signal.aborted).toBe(false);
      releases[0]!();
      await waitUntil(() => stopping.signal.aborted, timeout, 'the stop');

      const again = new Inbox();
      await subscribe({ groupId, topics: [t], handle: again.handle });
      const marker = makeEvents(['r1'], 1, 'marker');
      await bus.publish(t, marker);
      await waitUntil(() => again.has(marker.map((e) => e.id)), timeout, 'the marker');
      expect(again.ids()).toEqual(marker.map((e) => e.id));
    });

    it('answers ping() while reachable', async () => {
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    // Only a bus with a broker can lose it; the test's own timeout bounds how long ping() may take.
    if (harness.unreachable) {
      const unreachable = harness.unreachable;
      it('fails ping() when the broker is unreachable', async () => {
        const down = await unreachable();
        try {
          await expect(down.ping()).rejects.toThrow();
        } finally {
          await down.close();
        }
      }, 10_000);
    }
  });
}
