import { AppError } from '@uitgo/kit';
import type { PasswordHasher } from '../ports/passwordHasher.js';

export interface HashingLimits {
  /** Hashes computed at once; the rest wait in line. */
  maxConcurrent: number;
  /** Hashes allowed to wait; beyond that a sign-in is refused at once (503, retry later). */
  maxQueued: number;
}

const gaveUp = () => new AppError('DEADLINE_EXCEEDED', 'The sign-in was given up before its password could be checked');

/**
 * Bounds the CPU that password hashing may take. Each scrypt hash is tens of milliseconds
 * of a core; a login storm with the libuv pool's four threads would take every core and
 * stall all other traffic, so hashing gets a fixed share and callers queue for it. A queued
 * job whose caller gave up (its signal aborted: deadline passed, call cancelled) leaves the
 * line unhashed, so a storm does not keep hashing for answers nobody waits for.
 */
export class LimitedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: HashingLimits,
  ) {}

  hash(password: string, signal?: AbortSignal): Promise<string> {
    return this.limited(() => this.inner.hash(password), signal);
  }

  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    return this.limited(() => this.inner.verify(password, hash), signal);
  }

  needsRehash(hash: string): boolean {
    return this.inner.needsRehash(hash);
  }

  private async limited<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) throw gaveUp();
    if (this.running >= this.limits.maxConcurrent) {
      if (this.waiting.length >= this.limits.maxQueued) {
        throw new AppError('UNAVAILABLE', 'Too many sign-ins at once; retry in a moment');
      }
      await this.slot(signal);
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; otherwise it is freed.
      if (next) next();
      else this.running--;
    }
  }

  /** Waits in line for a running slot; leaves the line (holding no slot) if `signal` aborts first. */
  private slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        reject(gaveUp());
      };
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
