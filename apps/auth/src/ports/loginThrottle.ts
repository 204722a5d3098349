import type { RequestContext } from '@uitgo/kit';

/** Who a failed sign-in is counted against: the account (normalised email) and the client address. */
export interface LoginAttempt {
  email: string;
  clientIp?: string | undefined;
}

/** `context`, the request's, makes the store's commands spans of its trace (tracing on). */
export interface LoginThrottle {
  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfterS(attempt: LoginAttempt, context?: RequestContext): Promise<number>;
  recordFailure(attempt: LoginAttempt, context?: RequestContext): Promise<void>;
  /** After a successful sign-in: the account's failures are forgiven (the address's are not). */
  recordSuccess(attempt: LoginAttempt, context?: RequestContext): Promise<void>;
}
