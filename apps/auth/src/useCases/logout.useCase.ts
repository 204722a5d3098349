import type { Caller, RequestContext } from '@uitgo/kit';
import { Unauthenticated } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/sessionRepository.js';

/** Ends the caller's session: its access and refresh tokens stop working at once. Idempotent. */
export async function logout(deps: { sessions: SessionRepository; clock: Clock }, caller: Caller | undefined, ctx?: RequestContext): Promise<void> {
  if (!caller?.sessionId) throw new Unauthenticated('No session to end');
  const session = await deps.sessions.find(caller.sessionId, ctx);
  // Someone else's session id is treated like an unknown one: nothing to end, nothing revealed.
  if (!session || session.userId !== caller.userId) return;
  await deps.sessions.revoke(session.id, 'logout', deps.clock.now(), ctx);
}
