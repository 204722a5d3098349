import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// patches/@confluentinc__kafka-javascript@1.10.1.patch: the KafkaJS-compatible consumer holds
// a lock for as long as run() runs, and upstream builds it on AsyncLocalStorage. On Node 20,
// entering an AsyncLocalStorage turns on a promise hook for the whole process, which made every
// service with a consumer (gateway, trip, auth, archiver) ~25-33 % slower. The patched lock
// keeps the same exclusion without it. These tests fail if an upgrade drops the patch.
const require = createRequire(import.meta.url);
const commonPath = require.resolve('@confluentinc/kafka-javascript/lib/kafkajs/_common.js');

interface Lock {
  write(task: () => Promise<unknown>): Promise<void>;
  read(task: () => Promise<unknown>): Promise<void>;
}
const { Lock } = require(commonPath) as { Lock: new () => Lock };

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the Kafka consumer lock (patched)', () => {
  it('turns on no promise hook: promise continuations keep execution async id 0 after the lock ran', () => {
    // A fresh process, so nothing vitest itself does can turn hooks on.
    const script = `
      const { executionAsyncId } = require('node:async_hooks');
      const { Lock } = require(${JSON.stringify(commonPath)});
      (async () => {
        const lock = new Lock();
        await lock.write(async () => { await null; });
        await lock.read(async () => { await null; });
        await null;
        process.stdout.write(String(executionAsyncId()));
      })();`;
    expect(execFileSync(process.execPath, ['-e', script]).toString()).toBe('0');
  });

  it('still excludes: a writer waits for the writer before it, readers share but wait for a writer', async () => {
    const lock = new Lock();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const first = lock.write(async () => {
      events.push('write 1 start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('write 1 end');
    });
    await tick();
    const second = lock.write(async () => void events.push('write 2'));
    const reader = lock.read(async () => void events.push('read'));
    await tick();
    expect(events).toEqual(['write 1 start']);
    releaseFirst();
    await Promise.all([first, second, reader]);
    expect(events.slice(0, 2)).toEqual(['write 1 start', 'write 1 end']);
    expect(events).toHaveLength(4);
  });

  it('passes a task failure to the caller and frees the lock', async () => {
    const lock = new Lock();
    await expect(lock.write(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.write(async () => 'next')).resolves.toBeUndefined();
  });
});
