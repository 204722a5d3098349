import { scrypt, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Derives a scrypt key; where the CPU work runs is the implementation's choice. */
export type DeriveKey = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) => Promise<Buffer>;

/** node:crypto's async scrypt: the libuv thread pool, at the process's own CPU priority. */
export const deriveOnLibuvPool: DeriveKey = (password, salt, keyLength, options) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });

// The thread body, CommonJS so it runs the same from sources (tsx) and from the build. On Linux
// the nice value is per thread: /proc/thread-self names this thread's id, and setpriority on it
// lowers this thread alone, never the event loop.
const THREAD_BODY = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
let niced = false;
if (workerData.nice > 0) {
  try {
    const os = require('node:os');
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    // Relative to the process's own value, as \`nice -n\` is.
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + workerData.nice));
    niced = true;
  } catch {}
}
parentPort.postMessage({ ready: true, niced });
parentPort.on('message', (job) => {
  try {
    const key = scryptSync(job.password, Buffer.from(job.salt), job.keyLength, job.options);
    parentPort.postMessage({ id: job.id, key });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
`;

interface Pending {
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface HashThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** False once the thread has exited: it gets no more jobs. */
  alive: boolean;
}

type Reply = { ready: true; niced: boolean } | { id: number; key: Uint8Array } | { id: number; error: string };

export interface ScryptThreadsOptions {
  /** Threads, each hashing one password at a time. */
  size: number;
  /** Linux nice value for the hashing threads (0-19; 0 keeps the process's priority). */
  nice: number;
}

/**
 * Password hashing on dedicated threads at a lowered CPU priority. Linux shares a contended
 * core by weight: at nice 10 a hashing thread weighs about a tenth of a normal thread, so during
 * a login storm the event loops around it (this process's, and other processes' on a host
 * without per-container cgroups) get most of the CPU and the storm mostly slows logins. Across
 * containers the cgroup weights decide instead (give auth its own CPU request). The libuv pool
 * stays free for file and DNS work.
 */
export class ScryptThreads {
  private readonly threads: HashThread[] = [];
  private nextId = 0;
  private closed = false;
  /** Resolves with whether the threads could lower their priority (false off Linux). */
  readonly niced: Promise<boolean>;

  constructor(private readonly options: ScryptThreadsOptions) {
    const ready: Promise<boolean>[] = [];
    for (let i = 0; i < options.size; i++) ready.push(this.spawn(i));
    this.niced = Promise.all(ready).then((all) => all.every(Boolean));
  }

  readonly derive: DeriveKey = (password, salt, keyLength, options) => {
    if (this.closed) return Promise.reject(new Error('the hashing threads are closed'));
    // The least busy live thread; the caller (LimitedPasswordHasher) keeps at most `size` in flight.
    const live = this.threads.filter((t) => t.alive);
    if (live.length === 0) return Promise.reject(new Error('no password hashing thread is running'));
    const thread = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    // A copy of its own: a small Buffer is a view of Node's shared 8 KiB pool, and posting the
    // view would copy the whole pool (other data included) to the thread.
    const ownSalt = Uint8Array.from(salt);
    return new Promise<Buffer>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, password, salt: ownSalt, keyLength, options }, [ownSalt.buffer]);
    });
  };

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(slot: number): Promise<boolean> {
    const worker = new Worker(THREAD_BODY, { eval: true, workerData: { nice: this.options.nice }, name: 'scrypt' });
    worker.unref();
    const thread: HashThread = { worker, pending: new Map(), alive: true };
    this.threads[slot] = thread;
    const failAll = (err: Error) => {
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
    };
    let started = false;
    return new Promise<boolean>((ready) => {
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) {
          started = true;
          return ready(reply.niced);
        }
        const pending = thread.pending.get(reply.id);
        if (!pending) return;
        thread.pending.delete(reply.id);
        if ('key' in reply) pending.resolve(Buffer.from(reply.key.buffer, reply.key.byteOffset, reply.key.byteLength));
        else pending.reject(new Error(`scrypt failed: ${reply.error}`));
      });
      worker.on('error', (err) => failAll(err));
      worker.on('exit', (code) => {
        thread.alive = false;
        ready(false);
        failAll(new Error(`a hashing thread stopped (exit code ${code})`));
        // A thread that died after starting is replaced; one stopped by close(), or one that
        // could not start at all, is not (no respawn loop): it is left out of derive(), which
        // fails at once when no thread is left.
        if (!this.closed && started) void this.spawn(slot);
      });
    });
  }
}
