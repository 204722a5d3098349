import { describe, expect, it } from 'vitest';
import { backoffDelayMs, chunk, forEachLimited, UnprocessedItemsError, writeWithRetry } from './batchWrite.js';

describe('writeWithRetry', () => {
  it('retries only the unprocessed items, backing off between attempts', async () => {
    const calls: number[][] = [];
    const delays: number[] = [];
    await writeWithRetry(
      [1, 2, 3, 4],
      async (batch) => {
        calls.push(batch);
        return batch.slice(Math.ceil(batch.length / 2));
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.999, baseDelayMs: 10, maxDelayMs: 25 },
    );
    expect(calls).toEqual([[1, 2, 3, 4], [3, 4], [4]]);
    expect(delays).toEqual([9, 19]);
  });

  it('gives up after the last attempt and says how many items are left', async () => {
    let attempts = 0;
    const failing = writeWithRetry(
      ['a', 'b'],
      async (batch) => {
        attempts++;
        return batch;
      },
      { maxAttempts: 3, sleep: async () => {} },
    );
    await expect(failing).rejects.toThrow(UnprocessedItemsError);
    await expect(failing).rejects.toMatchObject({ remaining: 2, attempts: 3 });
    expect(attempts).toBe(3);
  });
});

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt up to the cap, scaled by the jitter', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, 50, 300, () => 0.5))).toEqual([25, 50, 100, 150, 150]);
    expect(backoffDelayMs(3, 50, 300, () => 0)).toBe(0);
  });
});

describe('chunk and forEachLimited', () => {
  it('splits 1,000 items into 40 chunks of 25', () => {
    const chunks = chunk(Array.from({ length: 1_000 }, (_, i) => i), 25);
    expect(chunks).toHaveLength(40);
    expect(chunks.every((c) => c.length === 25)).toBe(true);
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });

  it('never runs more tasks at once than allowed and runs each once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
