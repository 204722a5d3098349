import { errorInfo, type BusLogger, type RetryBackoff } from './busSupport.js';
import type { BusEvent, EventBus, SubscribeOptions, Subscription } from './eventBus.js';
import { loadKafka, type Kafka, type KafkaAdmin, type KafkaLogger, type KafkaModule, type KafkaProducer } from './kafkaClient.js';
import { subscribeKafka } from './kafkaSubscription.js';
import { traceConsumer } from './eventTracing.js';

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId: string;
  /** Receives the client's and librdkafka's warnings and errors (info and debug are dropped). */
  logger?: BusLogger;
  retryBackoff?: RetryBackoff;
  /** Consumer group session timeout (default 10 s; the broker's minimum is usually 6 s). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long `subscribe()` waits for the group to assign partitions (default 30 s). */
  joinTimeoutMs?: number;
  /**
   * Consumers commit handled offsets together at most this often, and when partitions are
   * revoked and at stop (default 1 s; 0 commits after every batch). A crash redelivers up to this
   * long's events, which consumers handle idempotently.
   */
  commitIntervalMs?: number;
  /** Bound on `ping()` and on admin calls (default 5 s). */
  requestTimeoutMs?: number;
  /**
   * TLS to the brokers (MSK's TLS listener): their certificates are verified, with their host
   * names, against `caFile` (PEM) or else the system's CA store.
   */
  ssl?: { caFile?: string };
}

function kafkaLogger(logger: BusLogger | undefined): KafkaLogger {
  const self: KafkaLogger = {
    info: () => undefined,
    debug: () => undefined,
    warn: (message, extra) => logger?.warn({ kafka: extra ?? {} }, message),
    error: (message, extra) => logger?.error({ kafka: extra ?? {} }, message),
    namespace: () => self,
    setLogLevel: () => undefined,
  };
  return self;
}

/** Kafka adapter: keyed JSON envelopes, acks=all idempotent producer, manually committed consumers. */
export class KafkaEventBus implements EventBus {
  readonly #kafka: Kafka;
  readonly #kafkaLogger: KafkaLogger;
  readonly #subscriptions = new Set<Subscription>();
  #producer: Promise<KafkaProducer> | undefined;
  #admin: Promise<KafkaAdmin> | undefined;

  constructor(
    private readonly client: KafkaModule,
    private readonly options: KafkaEventBusOptions,
  ) {
    this.#kafkaLogger = kafkaLogger(options.logger);
    this.#kafka = new client.Kafka({
      kafkaJS: {
        brokers: options.brokers,
        clientId: options.clientId,
        logger: this.#kafkaLogger,
        logLevel: client.logLevel.WARN,
        ...(options.ssl && { ssl: true }),
      },
      ...(options.ssl?.caFile !== undefined && { 'ssl.ca.location': options.ssl.caFile }),
    });
  }

  async publish(topic: string, events: BusEvent[]): Promise<void> {
    if (events.length === 0) return;
    const producer = await this.#connectedProducer();
    await producer.send({
      topic,
      messages: events.map((event) => ({
        key: event.key,
        value: JSON.stringify(event.traceParent === undefined ? event : envelopeOf(event)),
        headers: {
          'event-type': event.type,
          'event-id': event.id,
          ...(event.traceId ? { 'trace-id': event.traceId } : {}),
          ...(event.traceParent ? { traceparent: event.traceParent } : {}),
        },
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = await subscribeKafka(this.client, this.#kafka, traceConsumer(options, 'kafka'), {
      logger: this.options.logger,
      kafkaLogger: this.#kafkaLogger,
      retryBackoff: this.options.retryBackoff,
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 3_000,
      joinTimeoutMs: this.options.joinTimeoutMs ?? 30_000,
      commitIntervalMs: this.options.commitIntervalMs ?? 1_000,
      endOffsets: async (topic) => (await this.#connectedAdmin()).fetchTopicOffsets(topic, { timeout: this.#timeout }),
      committedOffsets: async (groupId, topics) => (await this.#connectedAdmin()).fetchOffsets({ groupId, topics, timeout: this.#timeout }),
    });
    const tracked: Subscription = {
      stop: async () => {
        this.#subscriptions.delete(tracked);
        await subscription.stop();
      },
    };
    this.#subscriptions.add(tracked);
    return tracked;
  }

  async ping(): Promise<void> {
    const admin = await this.#connectedAdmin();
    await admin.listTopics({ timeout: this.#timeout });
  }

  /** Creates the topics that are missing, with `partitions` partitions each. */
  async ensureTopics(topics: string[], partitions: number): Promise<void> {
    const admin = await this.#connectedAdmin();
    const existing = new Set(await admin.listTopics({ timeout: this.#timeout }));
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    // Creating an existing topic (a concurrent creator) resolves false rather than throwing.
    await admin.createTopics({ timeout: this.#timeout, topics: missing.map((topic) => ({ topic, numPartitions: partitions })) });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    const [producer, admin] = [this.#producer, this.#admin];
    this.#producer = this.#admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch((err: unknown) => this.options.logger?.warn(errorInfo(err), 'producer disconnect failed')),
      admin?.then((a) => a.disconnect()).catch(() => undefined),
    ]);
  }

  get #timeout(): number {
    return this.options.requestTimeoutMs ?? 5_000;
  }

  #connectedProducer(): Promise<KafkaProducer> {
    this.#producer ??= this.#connect(
      this.#kafka.producer({
        'linger.ms': 5,
        kafkaJS: { acks: -1, idempotent: true, compression: this.client.CompressionTypes.LZ4 },
      }),
      () => (this.#producer = undefined),
    );
    return this.#producer;
  }

  #connectedAdmin(): Promise<KafkaAdmin> {
    this.#admin ??= this.#connect(this.#kafka.admin(), () => (this.#admin = undefined));
    return this.#admin;
  }

  /** Connects once; a failed connect is forgotten so the next call tries again. */
  async #connect<T extends { connect(): Promise<void> }>(client: T, forget: () => void): Promise<T> {
    try {
      await client.connect();
      return client;
    } catch (err) {
      forget();
      throw err;
    }
  }
}

/** The envelope without its trace parent, which travels as a header. */
function envelopeOf({ traceParent: _header, ...envelope }: BusEvent): Omit<BusEvent, 'traceParent'> {
  return envelope;
}

/** Loads the native client lazily (embedded mode never does) and builds the adapter. */
export async function createKafkaEventBus(options: KafkaEventBusOptions): Promise<KafkaEventBus> {
  return new KafkaEventBus(await loadKafka(), options);
}
