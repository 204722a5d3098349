import type { RequestContext } from '@uitgo/kit';
import { SessionRevoked, TokenExpired, TokenInvalid } from '../domain/errors.js';
import { hashRefreshToken, parseRefreshToken } from '../domain/refreshToken.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/sessionRepository.js';
import type { UserRepository } from '../ports/userRepository.js';
import type { SessionTokens, TokenPair } from './sessionTokens.js';

export interface RefreshDeps {
  sessions: SessionRepository;
  users: UserRepository;
  tokens: SessionTokens;
  clock: Clock;
}

/**
 * Spends a refresh token and returns a new pair for its session. A token that was spent
 * before means it leaked (or a client replayed it): the whole session is revoked, so the
 * thief's and the owner's newest tokens stop working alike.
 */
export async function refresh(deps: RefreshDeps, refreshToken: string, ctx?: RequestContext): Promise<TokenPair> {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) throw new TokenInvalid();
  const now = deps.clock.now();
  const tokenHash = hashRefreshToken(refreshToken);
  const next = deps.tokens.newRefreshToken(parsed.sessionId, now);

  const sessionId = await deps.sessions.rotateRefreshToken(tokenHash, next.stored, now, ctx);
  if (!sessionId) throw await whyNotSpendable(deps, tokenHash, now, ctx);

  const session = await deps.sessions.find(sessionId, ctx);
  const user = session && (await deps.users.findById(session.userId, ctx));
  if (!user) throw new TokenInvalid();
  return deps.tokens.pair(user, sessionId, next.token, now);
}

async function whyNotSpendable(deps: RefreshDeps, tokenHash: string, now: Date, ctx: RequestContext | undefined): Promise<Error> {
  const stored = await deps.sessions.findRefreshToken(tokenHash, ctx);
  if (!stored) return new TokenInvalid();
  const session = await deps.sessions.find(stored.sessionId, ctx);
  if (session?.revokedAt) return new SessionRevoked(session.id, session.revokedReason);
  if (stored.spentAt) {
    const revoked = await deps.sessions.revoke(stored.sessionId, 'refresh_token_reuse', now, ctx);
    return new SessionRevoked(stored.sessionId, revoked?.revokedReason ?? 'refresh_token_reuse');
  }
  if (stored.expiresAt <= now) return new TokenExpired();
  return new TokenInvalid();
}
