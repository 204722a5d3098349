import type { RequestContext } from '@uitgo/kit';

export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface StoredRefreshToken {
  tokenHash: string;
  sessionId: string;
  createdAt: Date;
  spentAt: Date | null;
  expiresAt: Date;
}

export type NewRefreshToken = Pick<StoredRefreshToken, 'tokenHash' | 'createdAt' | 'expiresAt'>;

export type RevocationReason = 'logout' | 'refresh_token_reuse';

/** `context`, the request's, makes the queries spans of its trace (tracing on). */
export interface SessionRepository {
  /** Creates the session with its first refresh token, in one transaction. */
  open(session: Pick<Session, 'id' | 'userId' | 'createdAt'>, refreshToken: NewRefreshToken, context?: RequestContext): Promise<void>;
  find(sessionId: string, context?: RequestContext): Promise<Session | undefined>;
  /**
   * Atomically spends the token with `tokenHash` if it is unspent, unexpired at `now` and its
   * session is not revoked, and stores `next` for the same session. Of concurrent callers
   * with the same token at most one succeeds. Returns the session id, or undefined when
   * nothing was spent.
   */
  rotateRefreshToken(tokenHash: string, next: NewRefreshToken, now: Date, context?: RequestContext): Promise<string | undefined>;
  findRefreshToken(tokenHash: string, context?: RequestContext): Promise<StoredRefreshToken | undefined>;
  /** Ends the session unless it has ended already (the first reason stays). Returns the session, if any. */
  revoke(sessionId: string, reason: RevocationReason, now: Date, context?: RequestContext): Promise<Session | undefined>;
}
