import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { formatRefreshToken, hashRefreshToken } from '../domain/refreshToken.js';
import { accessClaims } from '../domain/tokenClaims.js';
import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { NewRefreshToken, SessionRepository } from '../ports/sessionRepository.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
}

export interface TokenLifetimes {
  accessTtlS: number;
  refreshTtlS: number;
}

/** Issues the tokens of a session: a signed access token and an opaque single-use refresh token. */
export class SessionTokens {
  constructor(
    private readonly deps: { sessions: SessionRepository; accessTokens: AccessTokens; clock: Clock; lifetimes: TokenLifetimes },
  ) {}

  /** Opens a new session for the account and returns its first pair. */
  async open(account: { id: string; role: Role }, ctx?: RequestContext): Promise<TokenPair & { sessionId: string }> {
    const sessionId = randomUUID();
    const now = this.deps.clock.now();
    const refresh = this.newRefreshToken(sessionId, now);
    await this.deps.sessions.open({ id: sessionId, userId: account.id, createdAt: now }, refresh.stored, ctx);
    return { sessionId, ...(await this.pair(account, sessionId, refresh.token, now)) };
  }

  newRefreshToken(sessionId: string, now: Date): { token: string; stored: NewRefreshToken } {
    const token = formatRefreshToken(sessionId, randomBytes(32));
    const expiresAt = new Date(now.getTime() + this.deps.lifetimes.refreshTtlS * 1000);
    return { token, stored: { tokenHash: hashRefreshToken(token), createdAt: now, expiresAt } };
  }

  async pair(
    account: { id: string; role: Role; email?: string; fullName?: string },
    sessionId: string,
    refreshToken: string,
    now: Date,
  ): Promise<TokenPair> {
    const ttlS = this.deps.lifetimes.accessTtlS;
    const claims = accessClaims({
      userId: account.id,
      role: account.role,
      sessionId,
      issuedAt: now,
      ttlS,
      ...(account.email ? { email: account.email } : {}),
      ...(account.fullName ? { fullName: account.fullName } : {}),
    });
    return { accessToken: await this.deps.accessTokens.sign(claims), refreshToken, expiresInS: ttlS };
  }
}
