import { HeldBatches, Signal } from './busSupport.js';
import type { SubscribeOptions } from './eventBus.js';

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

/** A handled batch its member still holds (`HandleControl.hold`): where it starts, and the holds not released. */
export interface HeldBatch {
  member: Member;
  from: number;
  holds: number;
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
  /** Per partition (`topic\0partition`), the handled batches from the oldest one still held on. */
  readonly held = new HeldBatches<HeldBatch>();

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

  /**
   * Where the partition's next batch starts for `owner`: after what was handled, or back at the
   * first batch another member still holds (its new owner gets it again, as after a Kafka rebalance).
   */
  nextFor(owner: Member, topic: string, partition: number, partitionKey: string): number {
    const first = this.held.first(partitionKey);
    if (first && first.member !== owner) {
      this.held.drop(partitionKey);
      const positions = this.positions.get(topic);
      if (positions) positions[partition] = first.from;
    }
    return this.position(topic, partition);
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
