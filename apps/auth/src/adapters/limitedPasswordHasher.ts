import { AppError } from '@uitgo/kit';
import type { PasswordHasher } from '../ports/passwordHasher.js';

export interface HashingLimits {
  /** Hashes computed at once; the rest wait in line. */
  maxConcurrent: number;
  /** Hashes allowed to wait; beyond that a sign-in is refused at once (503, retry later). */
  maxQueued: number;
}

/**
 * Bounds the CPU that password hashing may take. Each scrypt hash is tens of milliseconds
 * of a core; a login storm with the libuv pool's four threads would take every core and
 * stall all other traffic, so hashing gets a fixed share and callers queue for it.
 */
export class LimitedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: HashingLimits,
  ) {}

  hash(password: string): Promise<string> {
    return this.limited(() => this.inner.hash(password));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.limited(() => this.inner.verify(password, hash));
  }

  needsRehash(hash: string): boolean {
    return this.inner.needsRehash(hash);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.maxConcurrent) {
      if (this.waiting.length >= this.limits.maxQueued) {
        throw new AppError('UNAVAILABLE', 'Too many sign-ins at once; retry in a moment');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
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
}
