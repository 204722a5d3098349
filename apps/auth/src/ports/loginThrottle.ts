import type { RequestContext } from '@uitgo/kit';

/** Who a failed sign-in is counted against: the account (normalised email) and the client address. */
export interface LoginAttempt {
  email: string;
  clientIp?: string | undefined;
}

/**
 * Failed sign-ins per account and per address. An attempt is counted before its password is
 * checked, so parallel attempts cannot all pass a limit that only counts finished failures.
 * `context`, the request's, makes the store's commands spans of its trace (tracing on).
 */
export interface LoginThrottle {
  /**
   * Counts the attempt against its account and address in one atomic step each: 0 when it may
   * check the password; otherwise the seconds until one is allowed, and nothing stays counted.
   * An attempt that then fails keeps its count: that is the recorded failure.
   */
  reserve(attempt: LoginAttempt, context?: RequestContext): Promise<number>;
  /** Gives a reserved attempt back when its password was never checked (the caller gave up, a store failed). */
  release(attempt: LoginAttempt, context?: RequestContext): Promise<void>;
  /** After a successful sign-in: the account's failures are forgiven, the address's are not (its reservation is given back). */
  recordSuccess(attempt: LoginAttempt, context?: RequestContext): Promise<void>;
}
