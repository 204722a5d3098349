export interface BatchRetryOptions {
  /** Total tries of one chunk, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected so tests run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class UnprocessedItemsError extends Error {
  constructor(readonly remaining: number, readonly attempts: number) {
    super(`${remaining} item(s) still unprocessed after ${attempts} attempts`);
    this.name = 'UnprocessedItemsError';
  }
}

/** "Full jitter" backoff: a uniform delay up to base * 2^(attempt-1), capped, so retrying writers spread out. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}

/**
 * Writes `items` with `write`, which returns the items the server left unprocessed (as
 * BatchWriteItem does under throttling), retrying those until none remain or attempts run out.
 */
export async function writeWithRetry<T>(
  items: T[],
  write: (batch: T[]) => Promise<T[]>,
  options: BatchRetryOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    pending = await write(pending);
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) throw new UnprocessedItemsError(pending.length, attempt);
    await sleep(backoffDelayMs(attempt, options.baseDelayMs ?? 50, options.maxDelayMs ?? 2_000, options.random ?? Math.random));
  }
}

/** Splits into chunks of `size` (BatchWriteItem takes at most 25 requests). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Runs `task` over `inputs` with at most `concurrency` in flight; the first failure rejects. */
export async function forEachLimited<T>(inputs: readonly T[], concurrency: number, task: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await task(inputs[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
}
