/**
 * The event bus port. Real adapter: Kafka; embedded adapter: in-process.
 * Events are JSON envelopes (see `EventEnvelope` in @uitgo/contracts); the envelope's `key`
 * is the partition key, so events with one key are delivered in the order published.
 * Delivery is at-least-once: consumers must be idempotent (remember applied event ids).
 */
export interface BusEvent {
  id: string;
  type: string;
  key: string;
  occurredAt: string;
  traceId?: string;
  /**
   * W3C traceparent of the span that published the event (tracing on): the consumer's span
   * continues the trace from it. Kafka carries it as the `traceparent` header.
   */
  traceParent?: string;
  payload: unknown;
}

export interface DeliveredEvent extends BusEvent {
  topic: string;
  partition: number;
  offset: string;
}

export interface SubscribeOptions {
  /** Consumer group: each group gets every event once (at least once); members share partitions. */
  groupId: string;
  topics: string[];
  /** Start from the earliest retained event when the group has no committed position. */
  fromBeginning?: boolean;
  /**
   * Called with events in order per key; offsets are committed only after it resolves.
   * If it throws, the same events are delivered again. `signal` aborts when the subscription
   * stops: a long batch may end early by throwing, and is then delivered again after the restart.
   */
  handle: (events: DeliveredEvent[], control: HandleControl) => Promise<void>;
  /** Upper bound on events per `handle` call (default 100). */
  maxBatchSize?: number;
  /**
   * false: positions are never committed, for a group used once (a fresh id each start, read
   * from the end) whose position nobody resumes; Kafka then skips a commit per batch. The
   * in-memory bus keeps positions in the process either way. Default true.
   */
  commit?: boolean;
  /**
   * How long `stop()` waits for held batches to be released (default `HOLD_WAIT_AT_STOP_MS`, half of
   * the default `SHUTDOWN_TIMEOUT_MS`).
   */
  holdWaitAtStopMs?: number;
}

/** What a handler gets besides its events. */
export interface HandleControl {
  /** Aborted when the subscription stops (the process is shutting down): the moment to flush what a hold keeps. */
  signal: AbortSignal;
  /**
   * Keeps this batch uncommitted after `handle` resolves, until the returned function is called:
   * for a handler that collects events somewhere not durable yet and writes them later, together
   * (the location archiver gathers a driver's points for seconds and writes them as one item).
   * Later batches are delivered meanwhile. A partition's committed position moves past a batch
   * only once it and every batch before it are released. Call it while `handle` runs; calling the
   * release again does nothing. Batches not released are delivered again after a restart or after
   * their partition moves to another member. At stop the signal is aborted, then the subscription
   * waits for the holds to be released (at most `holdWaitAtStopMs`), then commits.
   *
   * The in-memory bus resolves a publisher once the handler returns (its log is in the process,
   * so nothing outlives it there); a member's unreleased batches go back to the group when it leaves.
   */
  hold(): () => void;
}

/** How long `stop()` waits for held batches to be released before it commits what was. */
export const HOLD_WAIT_AT_STOP_MS = 5_000;

export interface Subscription {
  /**
   * Stops consuming after the in-flight batch is handled and committed (or ended early: see
   * `handle`'s signal) and, for a bounded time, after held batches are released (`HandleControl.hold`).
   */
  stop(): Promise<void>;
}

export interface EventBus {
  /** Resolves once every event is durably accepted by the bus (Kafka: acks=all). */
  publish(topic: string, events: BusEvent[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Throws if the bus is unreachable (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
