import type { EventBus } from './eventBus.js';
import type { KafkaEventBus, KafkaEventBusOptions } from './kafkaEventBus.js';
import { MemoryEventBus, type MemoryEventBusOptions } from './memoryEventBus.js';

export type * from './eventBus.js';
export type { BusLogger, RetryBackoff } from './busSupport.js';
export type { KafkaEventBus, KafkaEventBusOptions } from './kafkaEventBus.js';
export { MemoryEventBus, type MemoryEventBusOptions } from './memoryEventBus.js';
export { eventContext } from './eventTracing.js';
export { HOLD_WAIT_AT_STOP_MS } from './eventBus.js';

export type EventBusConfig = ({ kind: 'kafka' } & KafkaEventBusOptions) | ({ kind: 'memory' } & MemoryEventBusOptions);

/** Builds the bus for the running mode; the native Kafka client is loaded only for `kind: 'kafka'`. */
export async function createEventBus(config: { kind: 'kafka' } & KafkaEventBusOptions): Promise<KafkaEventBus>;
export async function createEventBus(config: { kind: 'memory' } & MemoryEventBusOptions): Promise<MemoryEventBus>;
export async function createEventBus(config: EventBusConfig): Promise<EventBus>;
export async function createEventBus(config: EventBusConfig): Promise<EventBus> {
  if (config.kind === 'memory') return new MemoryEventBus(config);
  const { createKafkaEventBus } = await import('./kafkaEventBus.js');
  return createKafkaEventBus(config);
}
