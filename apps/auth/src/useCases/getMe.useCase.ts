import type { Caller, RequestContext } from '@uitgo/kit';
import { Unauthenticated, UserNotFound } from '../domain/errors.js';
import type { UserAccount, UserRepository } from '../ports/userRepository.js';

export async function getMe(deps: { users: UserRepository }, caller: Caller | undefined, ctx?: RequestContext): Promise<UserAccount> {
  if (!caller) throw new Unauthenticated();
  const user = await deps.users.findById(caller.userId, ctx);
  if (!user) throw new UserNotFound(caller.userId);
  return user;
}
