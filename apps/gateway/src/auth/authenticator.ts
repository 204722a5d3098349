import { AppError, type Caller } from '@uitgo/kit';
import type { AccessTokenVerifier } from './accessTokenVerifier.js';
import type { RevokedSessions } from './revokedSessions.js';

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i;

/** `Authorization: Bearer <jwt>` -> the caller, or 401 with the reason. */
export class Authenticator {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revoked: RevokedSessions,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Caller & { sessionId: string }> {
    if (!authorization) throw new AppError('UNAUTHENTICATED', 'Send Authorization: Bearer <accessToken>');
    const match = BEARER.exec(authorization);
    if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <accessToken>"');
    const token = await this.verifier.verify(match[1]!);
    if (await this.revoked.isRevoked(token.sessionId)) {
      throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again', { sessionId: token.sessionId });
    }
    return { userId: token.userId, role: token.role, sessionId: token.sessionId };
  }
}
