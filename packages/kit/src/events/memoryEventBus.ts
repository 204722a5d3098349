import { AsyncLocalStorage } from 'node:async_hooks';
import { batchControl, errorInfo, noop, retryDelay, type BusLogger, type RetryBackoff } from './busSupport.js';
import { traceConsumer } from './eventTracing.js';
import { HOLD_WAIT_AT_STOP_MS, type BusEvent, type DeliveredEvent, type EventBus, type SubscribeOptions, type Subscription } from './eventBus.js';
import { Group, Member, type HeldBatch } from './memoryGroup.js';

export interface MemoryEventBusOptions {
  /** Partitions per topic (default 8); events are spread by a hash of their key. */
  partitions?: number;
  retryBackoff?: RetryBackoff;
  logger?: BusLogger;
}

/** Set while a handler of this bus runs, so a publish from inside it can be told apart. */
interface HandlerScope {
  bus: MemoryEventBus;
  open: boolean;
  nested: Promise<void>[];
}

const handlerScope = new AsyncLocalStorage<HandlerScope>();

/** FNV-1a: stable across runs, so a key always lands on the same partition. */
function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

/**
 * In-process event bus for embedded mode: an append-only log per topic split into
 * partitions, consumer groups with committed positions, members sharing partitions.
 *
 * The log lives in memory only, so `publish()` resolves once every group subscribed to the
 * topic at publish time has handled (committed) the events. The outbox marks its rows sent
 * only after that, so a restart re-publishes whatever was not handled: at-least-once holds
 * without a durable log. The price: a handler that keeps failing holds its publisher back.
 *
 * Re-entrancy: a publish made from inside a handler resolves as soon as the events are
 * appended, because waiting there could wait on the very partition the handler is blocking.
 * Instead, the events that handler was handling count as handled only once the nested
 * events are handled too, so the original publisher still waits for the whole chain.
 *
 * A batch the handler holds (`HandleControl.hold`) counts as handled for its publisher when the
 * handler returns; it stays the member's until released. A member that leaves first waits for its
 * holds (bounded), and the partition's next owner starts again at the first batch still held.
 */
export class MemoryEventBus implements EventBus {
  readonly #partitions: number;
  readonly #logs = new Map<string, string[][]>();
  readonly #groups = new Map<string, Group>();
  #closed = false;

  constructor(private readonly options: MemoryEventBusOptions = {}) {
    this.#partitions = options.partitions ?? 8;
  }

  async publish(topic: string, events: BusEvent[]): Promise<void> {
    this.#assertOpen();
    const log = this.#log(topic);
    const groups = [...this.#groups.values()].filter((g) => g.subscribes(topic));
    const waits: Promise<void>[] = [];
    for (const event of events) {
      const partition = partitionOf(event.key, this.#partitions);
      const records = log[partition]!;
      records.push(JSON.stringify(event));
      for (const g of groups) waits.push(g.handled(topic, partition, records.length - 1));
    }
    for (const g of groups) g.wake.notify();
    const delivered = Promise.all(waits).then(noop);
    const scope = handlerScope.getStore();
    if (scope?.bus === this && scope.open) {
      delivered.catch(noop);
      scope.nested.push(delivered);
      return;
    }
    await delivered;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    if (options.topics.length === 0) throw new Error('subscribe: at least one topic is required');
    const group = this.#groups.get(options.groupId) ?? new Group(options.groupId);
    this.#groups.set(group.id, group);
    for (const topic of options.topics) {
      if (group.positions.has(topic)) continue;
      const log = this.#log(topic);
      group.positions.set(topic, log.map((records) => (options.fromBeginning ? 0 : records.length)));
    }
    const member = new Member(traceConsumer(options, 'memory'));
    group.members.push(member);
    group.membership.notify();
    group.wake.notify();
    for (const topic of options.topics) {
      for (let partition = 0; partition < this.#partitions; partition++) this.#startWorker(group, topic, partition);
    }
    return { stop: () => this.#leave(group, member) };
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const leaving: Promise<void>[] = [];
    for (const group of this.#groups.values()) {
      for (const member of [...group.members]) leaving.push(this.#leave(group, member));
    }
    await Promise.all(leaving);
    for (const group of this.#groups.values()) group.abandon(() => new Error('event bus closed before the events were handled'), true);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('event bus is closed');
  }

  #log(topic: string): string[][] {
    let log = this.#logs.get(topic);
    if (!log) {
      log = Array.from({ length: this.#partitions }, () => []);
      this.#logs.set(topic, log);
    }
    return log;
  }

  async #leave(group: Group, member: Member): Promise<void> {
    if (!member.stopped) {
      member.stopped = true;
      member.leaving.abort();
      group.wake.notify();
    }
    await member.drained();
    // The aborted signal told the handler to write what it holds; its partitions wait meanwhile.
    await group.held.released(member.options.holdWaitAtStopMs ?? HOLD_WAIT_AT_STOP_MS, (batch) => batch.member === member);
    const index = group.members.indexOf(member);
    if (index >= 0) {
      group.members.splice(index, 1);
      group.membership.notify();
      group.wake.notify();
    }
    group.abandon((topic) => new Error(`group "${group.id}" stopped consuming "${topic}" before handling the events`));
  }

  #startWorker(group: Group, topic: string, partition: number): void {
    const key = `${topic}\u0000${partition}`;
    if (group.workers.has(key)) return;
    group.workers.add(key);
    this.#work(group, topic, partition, key).catch((err: unknown) => {
      group.workers.delete(key);
      this.options.logger?.error({ ...errorInfo(err), topic, partition }, 'event bus worker crashed');
    });
  }

  /** The only loop that handles this group's partition, so its events are handled in order. */
  async #work(group: Group, topic: string, partition: number, key: string): Promise<void> {
    const records = this.#log(topic)[partition]!;
    let attempt = 0;
    for (;;) {
      const owner = group.ownerOf(topic, partition);
      if (!owner) {
        // Deregistered in the same tick as the check, so a later subscribe never sees a stale worker.
        group.workers.delete(key);
        return;
      }
      if (owner.stopped) {
        // Leaving: its partitions pass to the next owner once it has left.
        await group.membership.wait();
        continue;
      }
      const from = group.nextFor(owner, topic, partition, key);
      if (from >= records.length) {
        await group.wake.wait();
        continue;
      }
      const batch = records.slice(from, from + (owner.options.maxBatchSize ?? 100));
      const delivered = batch.map(
        (json, i): DeliveredEvent => ({ ...(JSON.parse(json) as BusEvent), topic, partition, offset: String(from + i) }),
      );
      const scope: HandlerScope = { bus: this, open: true, nested: [] };
      const held: HeldBatch = { member: owner, from, holds: 0 };
      const control = batchControl(owner.leaving.signal, held, () => group.held.release(key));
      try {
        const handled = await owner.exclusive(async () => {
          if (owner.stopped) return false;
          await handlerScope.run(scope, () => owner.options.handle(delivered, control));
          return true;
        });
        scope.open = false;
        if (!handled) continue;
        const ack = Promise.all(scope.nested).then(noop);
        ack.catch(noop);
        group.commit(topic, partition, from + batch.length, ack);
        group.held.handled(key, held);
        attempt = 0;
      } catch (err) {
        scope.open = false;
        attempt += 1;
        const delay = retryDelay(attempt, this.options.retryBackoff);
        this.options.logger?.warn(
          { ...errorInfo(err), groupId: group.id, topic, partition, offset: from, attempt, retryInMs: delay },
          'event handler failed; the batch will be delivered again',
        );
        await this.#backoff(group, owner, delay);
      }
    }
  }

  /** Waits out the retry delay, unless the partition's owner leaves first. */
  async #backoff(group: Group, owner: Member, delayMs: number): Promise<void> {
    const until = Date.now() + delayMs;
    while (!owner.stopped && Date.now() < until) await group.membership.wait(until - Date.now());
  }
}
