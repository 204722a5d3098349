/**
 * Remembers which topics failed to publish and when to try them again (exponential, capped).
 * The relay leaves a backed-off topic's rows untouched, so later events never overtake
 * earlier ones of the same key while other topics keep flowing.
 */
export class TopicBackoff {
  private readonly failures = new Map<string, { count: number; retryAt: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  failed(topic: string, now = Date.now()): number {
    const count = (this.failures.get(topic)?.count ?? 0) + 1;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** (count - 1));
    this.failures.set(topic, { count, retryAt: now + delay });
    return delay;
  }

  succeeded(topic: string): void {
    this.failures.delete(topic);
  }

  /** Topics not to publish yet. */
  blocked(now = Date.now()): string[] {
    return [...this.failures].filter(([, f]) => f.retryAt > now).map(([topic]) => topic);
  }

  /** Milliseconds until the next blocked topic may be retried, if any is blocked. */
  nextRetryIn(now = Date.now()): number | undefined {
    const waits = [...this.failures.values()].map((f) => f.retryAt - now).filter((ms) => ms > 0);
    return waits.length > 0 ? Math.min(...waits) : undefined;
  }
}
