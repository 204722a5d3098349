import type { BusEvent, EventBus } from '../events/eventBus.js';

export interface RecordedEvent extends BusEvent {
  topic: string;
  /** Which bus (relay) published it. */
  publisher: string;
}

/**
 * A test double for the outbox suites: records what is published, can fail the next
 * publishes, and counts events being published at the same moment (which must never exceed 1 per event).
 */
export class RecordingBus implements Pick<EventBus, 'publish'> {
  readonly published: RecordedEvent[] = [];
  readonly inFlight = new Map<string, number>();
  maxConcurrentPerEvent = 0;
  failuresLeft = 0;
  attempts = 0;

  constructor(
    readonly name = 'bus',
    private readonly shared?: RecordingBus,
  ) {}

  /** A bus with its own name that records into this one (one bus per relay). */
  forPublisher(name: string): RecordingBus {
    return new RecordingBus(name, this);
  }

  async publish(topic: string, events: BusEvent[]): Promise<void> {
    const log = this.shared ?? this;
    log.attempts += 1;
    if (log.failuresLeft > 0) {
      log.failuresLeft -= 1;
      throw new Error('broker unavailable');
    }
    for (const event of events) {
      const now = (log.inFlight.get(event.id) ?? 0) + 1;
      log.inFlight.set(event.id, now);
      log.maxConcurrentPerEvent = Math.max(log.maxConcurrentPerEvent, now);
    }
    // Let other relays run while this publish is "on the wire".
    await new Promise((resolve) => setImmediate(resolve));
    for (const event of events) {
      log.inFlight.set(event.id, (log.inFlight.get(event.id) ?? 1) - 1);
      log.published.push({ ...event, topic, publisher: this.name });
    }
  }

  idsFor(key: string): string[] {
    return (this.shared ?? this).published.filter((e) => e.key === key).map((e) => e.id);
  }
}
