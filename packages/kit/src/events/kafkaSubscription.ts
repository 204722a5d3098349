import { batchControl, errorInfo, HeldBatches, noop, retryDelay, type BusLogger, type RetryBackoff } from './busSupport.js';
import { HOLD_WAIT_AT_STOP_MS, type BusEvent, type DeliveredEvent, type SubscribeOptions, type Subscription } from './eventBus.js';
import type { EachBatchPayload, Kafka, KafkaConsumer, KafkaLogger, KafkaMessage, KafkaModule } from './kafkaClient.js';

export interface KafkaConsumerSettings {
  logger?: BusLogger | undefined;
  kafkaLogger: KafkaLogger;
  retryBackoff?: RetryBackoff | undefined;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  joinTimeoutMs: number;
  /**
   * Handled offsets are committed together at most this often (and at a revocation and at stop),
   * in one request for all of the subscription's partitions; 0 commits after every batch.
   */
  commitIntervalMs: number;
  /** The end offset of each partition of a topic (admin ListOffsets). */
  endOffsets: (topic: string) => Promise<{ partition: number; offset: string }[]>;
  /**
   * A group's committed offsets, "-1" where it has none (admin OffsetFetch). Not the consumer's
   * `committed()`: kafka-javascript 1.10 returns null there both for none and for a committed 0.
   */
  committedOffsets: (groupId: string, topics: string[]) => Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/** A handled batch its handler still holds: its partition's next offset, and the holds not released. */
interface HeldBatch {
  topic: string;
  partition: number;
  next: string;
  holds: number;
}

interface TopicPartition {
  topic: string;
  partition: number;
  offset?: number;
}

/**
 * One consumer per subscription. Offsets are committed by hand once `handle` resolves: a batch
 * marks its partition's next offset, and the marks are committed together every
 * `commitIntervalMs`, when partitions are revoked and at stop (a crash in between delivers up to
 * that long's events again; consumers are idempotent). A batch its handler holds is marked once
 * released, and so are the batches after it on its partition, in order. On failure the partition is paused for a
 * backoff and, as no offset was resolved, the client seeks back to the batch's first offset and
 * delivers the same events again on resume.
 */
export async function subscribeKafka(
  client: KafkaModule,
  kafka: Kafka,
  options: SubscribeOptions,
  settings: KafkaConsumerSettings,
): Promise<Subscription> {
  const { groupId, topics, handle } = options;
  const log = settings.logger;
  let joined!: () => void;
  const firstAssignment = new Promise<void>((resolve) => (joined = resolve));
  /** Handled partitions' next offsets, not committed yet. */
  const marked = new Map<string, { topic: string; partition: number; offset: string }>();
  let commitTimer: NodeJS.Timeout | undefined;
  /** The commits asked for, one after another. */
  let commits: Promise<void> = Promise.resolve();
  /** Set once the consumer has left: nothing is marked or committed after. */
  let closed = false;
  /** Per partition, the handled batches from the oldest one still held on. */
  const held = new HeldBatches<HeldBatch>();

  const consumer: KafkaConsumer = kafka.consumer({
    kafkaJS: {
      groupId,
      fromBeginning: options.fromBeginning ?? false,
      autoCommit: false,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      logger: settings.kafkaLogger,
      logLevel: client.logLevel.WARN,
    },
    'js.consumer.max.batch.size': options.maxBatchSize ?? 100,
    // Awaited by the client before it applies the assignment.
    rebalance_cb: async (err: { code: number }, assignment: TopicPartition[], fns?: { assignmentLost?: () => boolean }) => {
      if (err.code === client.ErrorCodes.ERR__REVOKE_PARTITIONS) {
        // The partitions' next owner starts from what is committed: hand over what was handled
        // (after any commit under way). A lost assignment is another member's already: drop its marks.
        const revoked = new Set(assignment.map((a) => `${a.topic}/${a.partition}`));
        if (fns?.assignmentLost?.()) for (const key of revoked) marked.delete(key);
        // What is still held goes to the next owner uncommitted; releasing it later changes nothing.
        for (const key of revoked) held.drop(key);
        await commitMarked(revoked);
        return undefined;
      }
      if (err.code !== client.ErrorCodes.ERR__ASSIGN_PARTITIONS) return undefined;
      try {
        return options.fromBeginning ? undefined : await startAtEndUnlessCommitted(assignment);
      } finally {
        joined();
      }
    },
  });

  /**
   * librdkafka resolves "latest" for an uncommitted partition only after the assignment, so
   * an event published right after subscribe() could land before it and be skipped. Pinning
   * those partitions to the end offset read here closes that window.
   */
  async function startAtEndUnlessCommitted(assignment: TopicPartition[]): Promise<TopicPartition[] | undefined> {
    if (assignment.length === 0) return undefined;
    try {
      const committed = new Set<string>();
      for (const { topic, partitions } of await settings.committedOffsets(groupId, [...new Set(assignment.map((a) => a.topic))])) {
        for (const { partition, offset } of partitions) if (Number(offset) >= 0) committed.add(`${topic}/${partition}`);
      }
      const uncommitted = new Set(assignment.map((a) => `${a.topic}/${a.partition}`).filter((key) => !committed.has(key)));
      if (uncommitted.size === 0) return undefined;
      const ends = new Map<string, number>();
      for (const topic of new Set(assignment.map((a) => a.topic))) {
        for (const { partition, offset } of await settings.endOffsets(topic)) ends.set(`${topic}/${partition}`, Number(offset));
      }
      const pinned = assignment.map((a) => {
        const key = `${a.topic}/${a.partition}`;
        const end = ends.get(key);
        return uncommitted.has(key) && end !== undefined ? { ...a, offset: end } : a;
      });
      // Committed too, so a restart before the first handled batch resumes here, not at a later end.
      for (const { topic, partition, offset } of pinned) {
        const key = `${topic}/${partition}`;
        if (offset !== undefined && uncommitted.has(key) && !marked.has(key)) mark(topic, partition, String(offset));
      }
      scheduleCommit();
      return pinned;
    } catch (err) {
      log?.warn({ ...errorInfo(err), groupId }, 'could not pin new partitions to their end offsets; using auto.offset.reset');
      return undefined;
    }
  }

  /** Notes a partition's next offset to commit; nothing is noted for a group that never commits. */
  function mark(topic: string, partition: number, offset: string): void {
    if (options.commit !== false && !closed) marked.set(`${topic}/${partition}`, { topic, partition, offset });
  }

  /** Marks the partition's next offset after `batch`, if the partition may move past one. */
  function markAndCommit(batch: HeldBatch | undefined): void {
    if (!batch) return;
    mark(batch.topic, batch.partition, batch.next);
    if (settings.commitIntervalMs <= 0) void commitMarked();
    else scheduleCommit();
  }

  function scheduleCommit(): void {
    if (closed || commitTimer || marked.size === 0) return;
    commitTimer = setTimeout(() => {
      commitTimer = undefined;
      void commitMarked();
    }, settings.commitIntervalMs);
    commitTimer.unref();
  }

  /**
   * Commits the marked offsets (of the partitions in `only`, if given) in one request, after the
   * commits asked for before it: they land in order, and a caller awaiting this (a revocation,
   * stop) knows that everything marked until then is committed or failed.
   */
  function commitMarked(only?: Set<string>): Promise<void> {
    commits = commits.then(async () => {
      const offsets: { topic: string; partition: number; offset: string }[] = [];
      for (const [key, offset] of marked) {
        if (only && !only.has(key)) continue;
        offsets.push(offset);
        marked.delete(key);
      }
      if (offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets);
      } catch (err) {
        // Typically a rebalance took a partition away: its next owner may see these events again.
        log?.warn({ ...errorInfo(err), groupId, partitions: offsets.map((o) => `${o.topic}/${o.partition}`) }, 'offset commit failed; events may be redelivered');
      }
    });
    return commits;
  }

  let stopping = false;
  /** The batch being handled, awaited at stop before the last commit. */
  let inFlight: Promise<void> | undefined;
  const stopSignal = new AbortController();
  const attempts = new Map<string, number>();
  const retryTimers = new Set<NodeJS.Timeout>();

  const eachBatch = async ({ batch, resolveOffset, pause }: EachBatchPayload): Promise<void> => {
    const { topic, partition, messages } = batch;
    const last = messages.at(-1);
    if (!last) return;
    if (stopping) {
      // Unresolved, the client would seek back and fetch the batch again and again while stop waits for holds.
      pause();
      return;
    }
    const tp = `${topic}/${partition}`;
    const handledBatch: HeldBatch = { topic, partition, next: String(BigInt(last.offset) + 1n), holds: 0 };
    const control = batchControl(stopSignal.signal, handledBatch, () => markAndCommit(held.release(tp)));
    try {
      const events = decode(messages, topic, partition, log);
      if (events.length > 0) await handle(events, control);
    } catch (err) {
      if (stopping) {
        // Ended early because the subscription stops: not committed, so delivered again after the restart.
        log?.info({ groupId, topic, partition, offset: messages[0]?.offset }, 'batch left unfinished at stop; it will be delivered again');
        return;
      }
      const attempt = (attempts.get(tp) ?? 0) + 1;
      attempts.set(tp, attempt);
      const delay = retryDelay(attempt, settings.retryBackoff);
      log?.warn(
        { ...errorInfo(err), groupId, topic, partition, offset: messages[0]?.offset, attempt, retryInMs: delay },
        'event handler failed; the batch will be delivered again',
      );
      const resume = pause();
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        if (stopping) return;
        try {
          resume?.();
        } catch (resumeErr) {
          log?.warn({ ...errorInfo(resumeErr), groupId, topic, partition }, 'could not resume a partition after its backoff');
        }
      }, delay);
      retryTimers.add(timer);
      return;
    }
    attempts.delete(tp);
    resolveOffset(last.offset);
    if (options.commit === false) return;
    markAndCommit(held.handled(tp, handledBatch));
    if (settings.commitIntervalMs <= 0) await commits;
  };

  const eachBatchTracked = (payload: EachBatchPayload): Promise<void> => {
    const run = eachBatch(payload);
    const settled = run.then(noop, noop);
    inFlight = settled;
    void settled.then(() => {
      if (inFlight === settled) inFlight = undefined;
    });
    return run;
  };

  await consumer.connect();
  await consumer.subscribe({ topics });
  await consumer.run({ eachBatch: eachBatchTracked, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1 });
  // Resolving only once the group has assigned partitions means a later publish is seen
  // even without fromBeginning.
  let timeout: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      firstAssignment,
      new Promise<never>((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`consumer group "${groupId}" not joined within ${settings.joinTimeoutMs} ms`)),
          settings.joinTimeoutMs,
        );
      }),
    ]);
  } catch (err) {
    closed = true;
    clearTimeout(commitTimer);
    await consumer.disconnect().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timeout);
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      stopSignal.abort();
      for (const timer of retryTimers) clearTimeout(timer);
      // The in-flight batch ends (batches after it return at once), what was handled is
      // committed, then the consumer leaves the group. A handler must never await stop() of its
      // own subscription: that would wait for itself.
      stopped ??= (async () => {
        await inFlight;
        // The aborted signal told the handler to write what it holds: what it releases in time is committed.
        await held.released(options.holdWaitAtStopMs ?? HOLD_WAIT_AT_STOP_MS);
        clearTimeout(commitTimer);
        commitTimer = undefined;
        await commitMarked();
        await consumer.disconnect();
        closed = true;
        clearTimeout(commitTimer);
      })();
      return stopped;
    },
  };
}

function decode(messages: KafkaMessage[], topic: string, partition: number, log: BusLogger | undefined): DeliveredEvent[] {
  const events: DeliveredEvent[] = [];
  for (const message of messages) {
    try {
      const envelope = JSON.parse(message.value?.toString('utf8') ?? 'null') as BusEvent | null;
      if (typeof envelope?.id !== 'string' || typeof envelope.type !== 'string') throw new Error('not an event envelope');
      const traceParent = message.headers?.traceparent;
      events.push({ ...envelope, ...(traceParent ? { traceParent: String(traceParent) } : {}), topic, partition, offset: message.offset });
    } catch (err) {
      // A record that is not an envelope can never be handled; holding the partition on it would stall it forever.
      log?.error({ ...errorInfo(err), topic, partition, offset: message.offset }, 'skipping a record that is not a JSON event');
    }
  }
  return events;
}
