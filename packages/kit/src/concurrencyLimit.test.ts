import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrencyLimit.js';

// Order, a full line and aborts while waiting are covered through auth's LimitedPasswordHasher.
describe('ConcurrencyLimit', () => {
  it('counts running and waiting tasks, and a failed task hands its slot on', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 1 });
    let fail!: (err: Error) => void;
    const first = limit.run(() => new Promise<never>((_, reject) => (fail = reject)));
    const second = limit.run(async () => 'second ran');
    const third = limit.run(async () => 'third ran');
    expect([limit.running, limit.queued]).toEqual([1, 2]);
    fail(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    expect(await Promise.all([second, third])).toEqual(['second ran', 'third ran']);
    expect([limit.running, limit.queued]).toEqual([0, 0]);
  });

  it('refuses a task whose signal has already aborted, without running it', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 1, gaveUp: () => new Error('caller left') });
    let ran = false;
    await expect(limit.run(async () => void (ran = true), AbortSignal.abort())).rejects.toThrow('caller left');
    expect(ran).toBe(false);
  });

  it('needs at least one slot', () => {
    expect(() => new ConcurrencyLimit({ maxConcurrent: 0 })).toThrow(/at least 1/);
  });
});
