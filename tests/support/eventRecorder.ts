import type { DeliveredEvent, EventBus, Subscription } from '@uitgo/kit/events';

/**
 * What a bus carried on some topics since the recorder joined, grouped by key (a trip's events
 * are keyed by its id) in delivery order. Delivery is at least once, so each event id counts once.
 */
export class EventRecorder {
  readonly #byKey = new Map<string, DeliveredEvent[]>();
  readonly #seen = new Set<string>();

  private constructor(private subscription: Subscription | undefined) {}

  /**
   * Joins a consumer group of its own. `fromBeginning` suits a bus only this platform uses
   * (embedded); on a shared Kafka the recorder starts at the end, so start it before the
   * events it should see.
   */
  static async start(bus: EventBus, topics: string[], fromBeginning: boolean): Promise<EventRecorder> {
    const recorder = new EventRecorder(undefined);
    recorder.subscription = await bus.subscribe({
      groupId: `e2e-recorder-${crypto.randomUUID()}`,
      topics,
      fromBeginning,
      handle: async (events) => recorder.#record(events),
    });
    return recorder;
  }

  /** The events with this key, in the order the bus delivered them. */
  of(key: string): DeliveredEvent[] {
    return [...(this.#byKey.get(key) ?? [])];
  }

  typesOf(key: string): string[] {
    return this.of(key).map((event) => event.type);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  #record(events: DeliveredEvent[]): void {
    for (const event of events) {
      if (this.#seen.has(event.id)) continue;
      this.#seen.add(event.id);
      const list = this.#byKey.get(event.key) ?? [];
      list.push(event);
      this.#byKey.set(event.key, list);
    }
  }
}
