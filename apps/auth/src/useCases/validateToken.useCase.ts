import type { Role } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { SessionRevoked, TokenInvalid } from '../domain/errors.js';
import type { AccessTokens } from '../ports/accessTokens.js';
import type { SessionRepository } from '../ports/sessionRepository.js';
import type { UserRepository } from '../ports/userRepository.js';

export interface ValidatedToken {
  subject: string;
  role: Role;
  sessionId: string;
  expiresAt: Date;
  email: string;
}

/** A token is valid when its signature and claims check out and its session has not ended. */
export async function validateToken(
  deps: { accessTokens: AccessTokens; sessions: SessionRepository; users: UserRepository },
  accessToken: string,
  ctx?: RequestContext,
): Promise<ValidatedToken> {
  if (!accessToken) throw new TokenInvalid();
  const claims = await deps.accessTokens.verify(accessToken);
  const session = await deps.sessions.find(claims.sid, ctx);
  if (!session || session.userId !== claims.sub) throw new TokenInvalid();
  if (session.revokedAt) throw new SessionRevoked(session.id, session.revokedReason);
  const user = await deps.users.findById(claims.sub, ctx);
  if (!user) throw new TokenInvalid();
  return { subject: claims.sub, role: claims.role, sessionId: claims.sid, expiresAt: new Date(claims.exp * 1000), email: user.email };
}
