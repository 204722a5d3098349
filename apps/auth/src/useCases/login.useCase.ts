import { Email } from '@uitgo/contracts';
import type { Logger, RequestContext } from '@uitgo/kit';
import { InvalidCredentials, RateLimited, ValidationFailed } from '../domain/errors.js';
import { PASSWORD_MAX_LENGTH } from '../domain/passwordPolicy.js';
import type { LoginThrottle } from '../ports/loginThrottle.js';
import type { PasswordHasher } from '../ports/passwordHasher.js';
import type { UserAccount, UserRepository } from '../ports/userRepository.js';
import type { SessionTokens, TokenPair } from './sessionTokens.js';

export interface LoginInput {
  email: string;
  password: string;
  clientIp?: string | undefined;
}

export interface LoginDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  tokens: SessionTokens;
  /** A hash of a random password with the current parameters, verified when the email is unknown. */
  dummyHash: string;
  logger: Logger;
}

/**
 * Checks an email and password and opens a session. An unknown email costs one hash
 * verification like a wrong password and gets the same error, so answers and timing reveal
 * nothing about which accounts exist. Failures are throttled per account and per address.
 * `signal` is the call's deadline: a password check still queued when it passes is dropped.
 */
export async function login(
  deps: LoginDeps,
  input: LoginInput,
  ctx?: RequestContext,
  signal?: AbortSignal,
): Promise<{ user: UserAccount; tokens: TokenPair }> {
  const email = Email.safeParse(input.email);
  const fields = [
    ...(email.success ? [] : [{ path: 'email', message: 'must be a valid email address' }]),
    ...(input.password.length === 0 || input.password.length > PASSWORD_MAX_LENGTH
      ? [{ path: 'password', message: `must be 1..${PASSWORD_MAX_LENGTH} characters` }]
      : []),
  ];
  if (!email.success || fields.length > 0) throw new ValidationFailed(fields);
  const attempt = { email: email.data, clientIp: input.clientIp || undefined };

  // Reserved before the hash, so parallel guesses cannot all pass the limit while it runs.
  const retryAfterS = await deps.throttle.reserve(attempt, ctx);
  if (retryAfterS > 0) throw new RateLimited(retryAfterS);

  let user: UserAccount | undefined;
  let matches: boolean;
  try {
    user = await deps.users.findByEmail(attempt.email, ctx);
    matches = await deps.hasher.verify(input.password, user?.passwordHash ?? deps.dummyHash, signal);
  } catch (err) {
    // No password was checked, so the attempt is not a failure.
    await deps.throttle
      .release(attempt, ctx)
      .catch((releaseErr: unknown) => deps.logger.warn({ err: releaseErr, traceId: ctx?.traceId }, 'could not give back a sign-in attempt'));
    throw err;
  }
  // A failure keeps its reservation: that is what counts it.
  if (!user || !matches) throw new InvalidCredentials();
  await deps.throttle.recordSuccess(attempt, ctx);

  if (deps.hasher.needsRehash(user.passwordHash)) {
    // Parameters were raised since this hash was made: upgrade it while the password is at hand.
    await deps.hasher
      .hash(input.password, signal)
      .then((upgraded) => deps.users.updatePasswordHash(user.id, upgraded, ctx))
      .catch((err: unknown) => deps.logger.warn({ err, userId: user.id, traceId: ctx?.traceId }, 'could not upgrade a password hash'));
  }
  return { user, tokens: await deps.tokens.open(user, ctx) };
}
