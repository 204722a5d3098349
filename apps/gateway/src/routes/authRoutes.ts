import { routes } from '@uitgo/contracts';
import { AppError } from '@uitgo/kit';
import type { RevokedSessions } from '../auth/revokedSessions.js';
import type { GatewayClients } from '../clients.js';
import type { RouteRegistrar } from '../http/registerRoute.js';
import { toAuthSession, toAuthUser, toTokenPair } from '../mappers/authMappers.js';
import { protoRole } from '../mappers/protoValues.js';

/**
 * `sessionEnded` is told of every session this gateway ends (logout, a spent refresh token
 * presented again), so the live sockets it opened here close at once; other replicas notice at
 * their next session check (LIVE_SESSION_RECHECK_MS).
 */
export function registerAuthRoutes(
  route: RouteRegistrar,
  { auth }: GatewayClients,
  revoked: RevokedSessions,
  sessionEnded: (sessionId: string) => void = () => {},
): void {
  route(routes.register, async ({ body, context }) =>
    toAuthSession(await auth.register({ ...body, role: protoRole(body.role) }, { context })),
  );

  route(routes.login, async ({ body, request, context }) => toAuthSession(await auth.login({ ...body, clientIp: request.ip }, { context })));

  route(routes.refresh, async ({ body, context }) => {
    try {
      return toTokenPair((await auth.refresh({ refreshToken: body.refreshToken }, { context })).tokens);
    } catch (err) {
      // A spent refresh token ended its session: its access tokens must stop working here too.
      const sessionId = sessionIdOf(err);
      if (sessionId) {
        await revoked.revoke(sessionId);
        sessionEnded(sessionId);
      }
      throw err;
    }
  });

  route(routes.logout, async ({ caller, context }) => {
    await auth.logout({}, { context });
    await revoked.revoke(caller.sessionId);
    sessionEnded(caller.sessionId);
    return undefined;
  });

  // Who am I: the verified token names the account (as of its issue, at most 15 minutes ago),
  // so the answer needs no call to the auth service; tokens without those claims ask it.
  route(routes.me, async ({ context, request }) => {
    const token = request.verifiedToken;
    if (token?.email && token.fullName) return { id: token.userId, email: token.email, role: token.role, fullName: token.fullName };
    return toAuthUser((await auth.getMe({}, { context })).user);
  });
}

function sessionIdOf(err: unknown): string | undefined {
  if (!(err instanceof AppError) || err.code !== 'SESSION_REVOKED') return undefined;
  const details = err.details as { sessionId?: unknown } | undefined;
  return typeof details?.sessionId === 'string' ? details.sessionId : undefined;
}
