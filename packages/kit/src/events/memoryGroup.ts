import type { SubscribeOptions } from './eventBus.js';

/** Wakes every waiter on `notify()`; a waiter with a timeout is dropped when it expires (no leak). */
export class Signal {
  #waiters = new Set<() => void>();

  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/** A subscriber in a group. Its handler runs one batch at a time, like a Kafka consumer's poll loop. */
export class Member {
  stopped = false;
  /** Aborted when the member leaves: its handler may end a batch early (it is then delivered again). */
  readonly leaving = new AbortController();
  #tail: Promise<unknown> = Promise.resolve();

  constructor(readonly options: SubscribeOptions) {}

  subscribes(topic: string): boolean {
    return this.options.topics.includes(topic);
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every batch queued so far has finished. */
  async drained(): Promise<void> {
    await this.#tail;
  }
}

interface Waiter {
  offset: number;
  resolve: (ack: Promise<void>) => void;
  reject: (err: Error) => void;
}

/**
 * A consumer group: committed positions per topic-partition, the members sharing the
 * partitions, and the publishers waiting for the group to handle what they published.
 */
export class Group {
  readonly members: Member[] = [];
  /** Next offset to handle, per topic and partition. */
  readonly positions = new Map<string, number[]>();
  readonly workers = new Set<string>();
  /** Fires on appends and membership changes: what a partition worker waits for. */
  readonly wake = new Signal();
  /** Fires on membership changes only: cuts a retry backoff short when its owner leaves. */
  readonly membership = new Signal();
  readonly #waiters = new Map<string, Waiter[][]>();

  constructor(readonly id: string) {}

  subscribes(topic: string): boolean {
    return this.members.some((m) => m.subscribes(topic));
  }

  /** Round-robin over the members that subscribe to the topic, in joining order. */
  ownerOf(topic: string, partition: number): Member | undefined {
    const candidates = this.members.filter((m) => m.subscribes(topic));
    return candidates.length === 0 ? undefined : candidates[partition % candidates.length];
  }

  position(topic: string, partition: number): number {
    return this.positions.get(topic)?.[partition] ?? 0;
  }

  /** A promise that settles when the group has handled `offset` and whatever its handler published meanwhile. */
  handled(topic: string, partition: number, offset: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const byPartition = this.#waiters.get(topic) ?? [];
      this.#waiters.set(topic, byPartition);
      (byPartition[partition] ??= []).push({ offset, resolve, reject });
    });
  }

  commit(topic: string, partition: number, next: number, ack: Promise<void>): void {
    const positions = this.positions.get(topic);
    if (positions) positions[partition] = next;
    const waiting = this.#waiters.get(topic)?.[partition];
    if (!waiting) return;
    while (waiting.length > 0 && waiting[0]!.offset < next) waiting.shift()!.resolve(ack);
  }

  /** Fails the waits on topics that no member consumes any more (or all of them). */
  abandon(reason: (topic: string) => Error, all = false): void {
    for (const [topic, byPartition] of this.#waiters) {
      if (!all && this.subscribes(topic)) continue;
      for (const waiting of byPartition) for (const w of waiting ?? []) w.reject(reason(topic));
      this.#waiters.delete(topic);
    }
  }
}
