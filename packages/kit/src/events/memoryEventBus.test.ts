import { describe, expect, it } from 'vitest';
import type { BusEvent, DeliveredEvent } from './eventBus.js';
import { eventBusContract, waitUntil } from './eventBus.contract.js';
import { MemoryEventBus } from './memoryEventBus.js';

eventBusContract('memory', {
  make: async () => new MemoryEventBus({ partitions: 4, retryBackoff: { initialMs: 20, maxMs: 200 } }),
  createTopics: async () => undefined,
  timeoutMs: 5_000,
});

const event = (id: string, key = 'trip-1'): BusEvent => ({
  id,
  type: 'test.v1.Happened',
  key,
  occurredAt: new Date().toISOString(),
  payload: { id },
});

describe('MemoryEventBus', () => {
  it('resolves publish() only once every subscribed group has handled the events', async () => {
    const bus = new MemoryEventBus();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fast: string[] = [];
    const slow: string[] = [];
    await bus.subscribe({ groupId: 'fast', topics: ['t'], handle: async (es) => void fast.push(...es.map((e) => e.id)) });
    await bus.subscribe({
      groupId: 'slow',
      topics: ['t'],
      handle: async (es) => {
        await gate;
        slow.push(...es.map((e) => e.id));
      },
    });
    let published = false;
    const publishing = bus.publish('t', [event('a')]).then(() => (published = true));
    await waitUntil(() => fast.length === 1, 1_000, 'the fast group');
    expect(published).toBe(false);
    release();
    await publishing;
    expect(slow).toEqual(['a']);
    await bus.close();
  });

  it('lets a handler publish without deadlocking, and holds the first publisher until the chain is handled', async () => {
    const bus = new MemoryEventBus({ partitions: 2 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const projected: string[] = [];
    const notified: string[] = [];
    // A projector that republishes on the topic it consumes, same key, so the same partition.
    await bus.subscribe({
      groupId: 'projector',
      topics: ['trips'],
      handle: async (events) => {
        for (const e of events) {
          projected.push(e.id);
          if (!e.id.startsWith('derived-')) await bus.publish('trips', [event(`derived-${e.id}`)]);
          if (!e.id.startsWith('derived-')) await bus.publish('notices', [event(`notice-${e.id}`)]);
        }
      },
    });
    await bus.subscribe({
      groupId: 'notifier',
      topics: ['notices'],
      handle: async (events) => {
        await gate;
        notified.push(...events.map((e) => e.id));
      },
    });
    let published = false;
    const publishing = bus.publish('trips', [event('t1')]).then(() => (published = true));
    await waitUntil(() => projected.includes('derived-t1'), 1_000, 'the derived event');
    expect(published).toBe(false);
    release();
    await publishing;
    expect(notified).toEqual(['notice-t1']);
    await bus.close();
  });

  it('rejects a waiting publish when the group stops before handling the events', async () => {
    const bus = new MemoryEventBus({ retryBackoff: { initialMs: 10, maxMs: 10 } });
    let attempts = 0;
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async () => {
        attempts += 1;
        throw new Error('down');
      },
    });
    const publishing = bus.publish('t', [event('a')]);
    await waitUntil(() => attempts >= 2, 1_000, 'a retry');
    await subscription.stop();
    await expect(publishing).rejects.toThrow(/stopped consuming "t"/);
    await bus.close();
  });

  it('backs off between redeliveries instead of spinning', async () => {
    const bus = new MemoryEventBus({ retryBackoff: { initialMs: 50, maxMs: 1_000 } });
    const attemptsAt: number[] = [];
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handle: async (events: DeliveredEvent[]) => {
        attemptsAt.push(Date.now());
        if (attemptsAt.length < 4) throw new Error(`failing ${events[0]?.id}`);
      },
    });
    await bus.publish('t', [event('a')]);
    expect(attemptsAt).toHaveLength(4);
    // Delays of about 50, 100 and 200 ms (±20% jitter).
    expect(attemptsAt[3]! - attemptsAt[0]!).toBeGreaterThanOrEqual(0.8 * 350);
    await subscription.stop();
    await bus.close();
  });

  it('does not wait when no group subscribes, and refuses to publish once closed', async () => {
    const bus = new MemoryEventBus();
    await bus.publish('nobody', [event('a')]);
    await bus.close();
    await expect(bus.publish('nobody', [event('b')])).rejects.toThrow(/closed/);
    await expect(bus.ping()).rejects.toThrow(/closed/);
  });
});
