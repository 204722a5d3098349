import { AppError, type Caller } from '@uitgo/kit';
import type { AccessTokenVerifier, VerifiedToken } from './accessTokenVerifier.js';
import type { RevokedSessions } from './revokedSessions.js';

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i;

export type AuthenticatedCaller = Caller & { sessionId: string };

/** `Authorization: Bearer <jwt>` (or a bare token, for WebSockets) -> the caller, or 401 with the reason. */
export class Authenticator {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revoked: RevokedSessions,
  ) {}

  /** The caller, with the verified token's claims. */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedCaller & { token: VerifiedToken }> {
    const verified = await this.verifyBearer(authorization);
    await this.assertLive(verified.sessionId);
    return verified;
  }

  /**
   * The caller of a well-formed, validly signed, unexpired token, without asking whether its
   * session still lives: the caller runs `assertLive` (beside other lookups) before trusting it.
   */
  async verifyBearer(authorization: string | undefined): Promise<AuthenticatedCaller & { token: VerifiedToken }> {
    if (!authorization) throw new AppError('UNAUTHENTICATED', 'Send Authorization: Bearer <accessToken>');
    const match = BEARER.exec(authorization);
    if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <accessToken>"');
    const token = await this.verifier.verify(match[1]!);
    return { userId: token.userId, role: token.role, sessionId: token.sessionId, token };
  }

  /** A bare access token (the WebSocket's `?access_token=` or auth frame). */
  async authenticateToken(accessToken: string): Promise<{ caller: AuthenticatedCaller; token: VerifiedToken }> {
    const token = await this.verifier.verify(accessToken);
    await this.assertLive(token.sessionId);
    return { caller: { userId: token.userId, role: token.role, sessionId: token.sessionId }, token };
  }

  /** Throws SESSION_REVOKED once the session has ended (logout, refresh-token reuse). */
  async assertLive(sessionId: string): Promise<void> {
    if (await this.revoked.isRevoked(sessionId)) {
      throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again', { sessionId });
    }
  }
}
