export { outboxTable, type OutboxTable } from './outboxTable.js';
export { processedEventsTable, type ProcessedEventsTable } from './processedEventsTable.js';
export { enqueueEvents, outboxInsert } from './enqueueEvents.js';
export { runOnce, purgeProcessedEvents } from './runOnce.js';
export {
  OutboxRelay,
  type OutboxBacklog,
  type OutboxRelayHooks,
  type OutboxRelayLogger,
  type OutboxRelayOptions,
} from './outboxRelay.js';
