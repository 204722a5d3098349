import { readdirSync, readFileSync } from 'node:fs';
import { scryptSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ScryptPasswordHasher } from './scryptPasswordHasher.js';
import { ScryptThreads } from './scryptThreads.js';

const options = { N: 2 ** 10, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('ScryptThreads', () => {
  const threads = new ScryptThreads({ size: 2, nice: 7 });
  afterAll(() => threads.close());

  it('derives the same key as node:crypto', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = await threads.derive('pässword', salt, 32, options);
    expect(key.equals(scryptSync('pässword', salt, 32, options))).toBe(true);
  });

  it.runIf(process.platform === 'linux')('lowers the priority of its own threads only', async () => {
    await expect(threads.niced).resolves.toBe(true);
    const nice = threadNiceValues();
    expect(nice.filter((n) => n === 7)).toHaveLength(2);
    expect(nice.filter((n) => n === 0).length).toBeGreaterThan(0); // the event loop among them
  });

  it('runs jobs on all threads at once and answers each caller with its own key', async () => {
    const salts = Array.from({ length: 6 }, (_, i) => Buffer.alloc(16, i));
    const keys = await Promise.all(salts.map((salt) => threads.derive('same', salt, 32, options)));
    keys.forEach((key, i) => expect(key.equals(scryptSync('same', salts[i]!, 32, options))).toBe(true));
  });

  it('rejects a job scrypt refuses instead of hanging', async () => {
    await expect(threads.derive('x', Buffer.alloc(16), 32, { ...options, N: 3 })).rejects.toThrow(/scrypt failed/);
  });

  it('backs a ScryptPasswordHasher whose hashes the default hasher verifies', async () => {
    const viaThreads = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 }, threads.derive);
    const hash = await viaThreads.hash('correct-Horse-42');
    await expect(new ScryptPasswordHasher().verify('correct-Horse-42', hash)).resolves.toBe(true);
    await expect(viaThreads.verify('wrong-Horse-42', hash)).resolves.toBe(false);
  });

  it('replaces a thread that dies and fails only the jobs it held', async () => {
    const own = new ScryptThreads({ size: 1, nice: 0 });
    try {
      await own.derive('warm', Buffer.alloc(16), 32, options);
      const slow = own.derive('held', Buffer.alloc(16), 32, { ...options, N: 2 ** 16, maxmem: 256 * 1024 * 1024 });
      // Reach the worker through the pool's one thread and stop it mid-job.
      const worker = (own as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0]!.worker;
      await worker.terminate();
      await expect(slow).rejects.toThrow(/hashing thread stopped/);
      const key = await own.derive('after', Buffer.alloc(16), 32, options);
      expect(key.equals(scryptSync('after', Buffer.alloc(16), 32, options))).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('fails at once, never hangs, when its only thread stopped before it started', async () => {
    const own = new ScryptThreads({ size: 1, nice: 0 });
    try {
      const worker = (own as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0]!.worker;
      await worker.terminate();
      await expect(own.niced).resolves.toBe(false);
      await expect(own.derive('x', Buffer.alloc(16), 32, options)).rejects.toThrow(/no password hashing thread is running/);
    } finally {
      await own.close();
    }
  });

  it('refuses work after close', async () => {
    const own = new ScryptThreads({ size: 1, nice: 0 });
    await own.close();
    await expect(own.derive('x', Buffer.alloc(16), 32, options)).rejects.toThrow(/closed/);
  });
});
