import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../ports/passwordHasher.js';
import { LimitedPasswordHasher } from './limitedPasswordHasher.js';

/** A hasher whose hashes finish when the test says so, recording how many run at once. */
function gatedHasher() {
  let running = 0;
  const state = { peak: 0, release: [] as (() => void)[], hashed: [] as string[] };
  const hasher: PasswordHasher = {
    async hash(password) {
      state.hashed.push(password);
      running++;
      state.peak = Math.max(state.peak, running);
      await new Promise<void>((resolve) => state.release.push(resolve));
      running--;
      return `h:${password}`;
    },
    async verify() {
      return true;
    },
    needsRehash: () => false,
  };
  return { hasher, state };
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
};

describe('LimitedPasswordHasher', () => {
  it('runs at most maxConcurrent hashes and serves the queue in order', async () => {
    const { hasher, state } = gatedHasher();
    const limited = new LimitedPasswordHasher(hasher, { maxConcurrent: 2, maxQueued: 10 });
    const results = ['a', 'b', 'c', 'd', 'e'].map((p) => limited.hash(p));
    await until(() => state.release.length === 2);
    for (let done = 0; done < 5; done++) {
      await until(() => state.release.length > 0);
      state.release.shift()!();
    }
    expect(await Promise.all(results)).toEqual(['h:a', 'h:b', 'h:c', 'h:d', 'h:e']);
    expect(state.peak).toBe(2);
  });

  it('refuses at once with UNAVAILABLE when the line is full', async () => {
    const { hasher, state } = gatedHasher();
    const limited = new LimitedPasswordHasher(hasher, { maxConcurrent: 1, maxQueued: 1 });
    const first = limited.hash('a');
    const second = limited.hash('b');
    await expect(limited.hash('c')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await until(() => state.release.length === 1);
    state.release.shift()!();
    await until(() => state.release.length === 1);
    state.release.shift()!();
    expect(await Promise.all([first, second])).toEqual(['h:a', 'h:b']);
  });

  it('drops a queued job whose caller gave up, unhashed, and passes its place on', async () => {
    const { hasher, state } = gatedHasher();
    const limited = new LimitedPasswordHasher(hasher, { maxConcurrent: 1, maxQueued: 10 });
    const first = limited.hash('a');
    const caller = new AbortController();
    const abandoned = limited.hash('b', caller.signal);
    const third = limited.hash('c');
    await until(() => state.release.length === 1);
    caller.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    state.release.shift()!();
    await until(() => state.release.length === 1);
    state.release.shift()!();
    expect(await Promise.all([first, third])).toEqual(['h:a', 'h:c']);
    expect(state.hashed).toEqual(['a', 'c']);
    expect(state.peak).toBe(1);
  });

  it('refuses a job whose caller already gave up, without queueing it', async () => {
    const { hasher, state } = gatedHasher();
    const limited = new LimitedPasswordHasher(hasher, { maxConcurrent: 1, maxQueued: 1 });
    await expect(limited.hash('a', AbortSignal.abort())).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    const first = limited.hash('b');
    const second = limited.hash('c');
    await until(() => state.release.length === 1);
    state.release.shift()!();
    await until(() => state.release.length === 1);
    state.release.shift()!();
    expect(await Promise.all([first, second])).toEqual(['h:b', 'h:c']);
    expect(state.hashed).toEqual(['b', 'c']);
  });
});
