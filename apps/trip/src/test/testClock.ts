/** Real time plus an offset tests move forward (offer deadlines, quote expiry) instead of sleeping. */
export class TestClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  readonly now = (): number => this.frozenAt ?? Date.now() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
    if (this.frozenAt !== null) this.frozenAt += ms;
  }

  /** Stops the clock at its current time (until `advance` moves it or `reset`): many changes in one instant. */
  freeze(): void {
    this.frozenAt = this.now();
  }

  /** Back to real time: the driver service (positions, holds) only knows real time. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }
}
/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
