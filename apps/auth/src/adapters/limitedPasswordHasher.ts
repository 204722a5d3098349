import { AppError, ConcurrencyLimit } from '@uitgo/kit';
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
 * stall all other traffic, so hashing gets a fixed share and callers queue for it. A queued
 * job whose caller gave up (its signal aborted: deadline passed, call cancelled) leaves the
 * line unhashed, so a storm does not keep hashing for answers nobody waits for.
 */
export class LimitedPasswordHasher implements PasswordHasher {
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly inner: PasswordHasher,
    limits: HashingLimits,
  ) {
    this.limit = new ConcurrencyLimit({
      ...limits,
      full: () => new AppError('UNAVAILABLE', 'Too many sign-ins at once; retry in a moment'),
      gaveUp: () => new AppError('DEADLINE_EXCEEDED', 'The sign-in was given up before its password could be checked'),
    });
  }

  hash(password: string, signal?: AbortSignal): Promise<string> {
    return this.limit.run(() => this.inner.hash(password), signal);
  }

  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    return this.limit.run(() => this.inner.verify(password, hash), signal);
  }

  needsRehash(hash: string): boolean {
    return this.inner.needsRehash(hash);
  }
}
