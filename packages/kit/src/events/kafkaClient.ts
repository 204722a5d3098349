/**
 * The slice of @confluentinc/kafka-javascript's KafkaJS-compatible API the bus uses, typed
 * here so the kit still typechecks where the optional native client is not installed.
 */
export interface KafkaLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(namespace: string, logLevel?: number): KafkaLogger;
  setLogLevel(logLevel: number): void;
}

type RdConfig = Record<string, unknown>;

export interface KafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  headers?: Record<string, unknown>;
}

export interface EachBatchPayload {
  batch: { topic: string; partition: number; messages: KafkaMessage[] };
  resolveOffset(offset: string): void;
  pause(): (() => void) | undefined;
}

export interface KafkaConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatch: (payload: EachBatchPayload) => Promise<void>;
    eachBatchAutoResolve?: boolean;
    partitionsConsumedConcurrently?: number;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
}

export interface KafkaProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: {
    topic: string;
    messages: { key: string; value: string; headers: Record<string, string> }[];
  }): Promise<unknown>;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(options?: { timeout?: number }): Promise<string[]>;
  createTopics(options: { timeout?: number; topics: { topic: string; numPartitions?: number }[] }): Promise<boolean>;
  fetchTopicOffsets(topic: string, options?: { timeout?: number }): Promise<{ partition: number; offset: string }[]>;
  /** A group's committed offsets ("-1" where it has none). */
  fetchOffsets(options: { groupId: string; topics: string[]; timeout?: number }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

export interface Kafka {
  producer(config: RdConfig & { kafkaJS?: RdConfig }): KafkaProducer;
  consumer(config: RdConfig & { kafkaJS: RdConfig & { groupId: string } }): KafkaConsumer;
  admin(config?: RdConfig & { kafkaJS?: RdConfig }): KafkaAdmin;
}

export interface KafkaModule {
  Kafka: new (config: RdConfig & { kafkaJS: { brokers: string[]; clientId?: string } & RdConfig }) => Kafka;
  logLevel: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  CompressionTypes: { LZ4: string };
  ErrorCodes: { ERR__ASSIGN_PARTITIONS: number; ERR__REVOKE_PARTITIONS: number };
}

/** Loads the native client on first use only, so embedded mode never needs it. */
export async function loadKafka(): Promise<KafkaModule> {
  let mod: { KafkaJS?: KafkaModule; default?: { KafkaJS?: KafkaModule } };
  try {
    mod = (await import('@confluentinc/kafka-javascript')) as typeof mod;
  } catch (err) {
    throw new Error(
      'Kafka client not installed: run pnpm install with the native build prerequisites ' +
        '(CKJS_LINKING=dynamic npm_config_nodedir=/usr and zlib1g-dev libssl-dev libsasl2-dev libzstd-dev ' +
        'liblz4-dev libcurl4-openssl-dev), or use the in-process bus (UITGO_MODE=embedded)',
      { cause: err },
    );
  }
  const kafkaJS = mod.KafkaJS ?? mod.default?.KafkaJS;
  if (!kafkaJS) throw new Error('@confluentinc/kafka-javascript loaded but has no KafkaJS export');
  return kafkaJS;
}
