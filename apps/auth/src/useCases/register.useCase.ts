import { randomUUID } from 'node:crypto';
import { makeEvent } from '@uitgo/contracts';
import type { Logger, RequestContext } from '@uitgo/kit';
import { EmailTaken, ValidationFailed } from '../domain/errors.js';
import { checkRegistration } from '../domain/registration.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/passwordHasher.js';
import type { UserProfiles } from '../ports/userProfiles.js';
import type { UserAccount, UserRepository } from '../ports/userRepository.js';
import type { SessionTokens, TokenPair } from './sessionTokens.js';

export interface RegisterInput {
  email: string;
  password: string;
  fullName: string;
  phone?: string | undefined;
  /** 'passenger' or 'driver'; anything else is a validation failure. */
  role: string;
}

export interface RegisterDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: SessionTokens;
  profiles: UserProfiles;
  clock: Clock;
  logger: Logger;
}

/**
 * Creates a passenger or driver account with its `user.v1.registered` event (one transaction),
 * opens its first session, then asks the user service for the profile. That call is best
 * effort: the user service also consumes the event, so the profile appears either way.
 * `signal` is the call's deadline: a hash still queued when it passes is dropped.
 */
export async function register(
  deps: RegisterDeps,
  input: RegisterInput,
  ctx?: RequestContext,
  signal?: AbortSignal,
): Promise<{ user: UserAccount; tokens: TokenPair }> {
  const check = checkRegistration(input);
  if (!check.ok) throw new ValidationFailed(check.fields);
  const { email, password, fullName, phone, role } = check.registration;

  // Cheap pre-check spares a hash; the unique index still decides races.
  if (await deps.users.findByEmail(email, ctx)) throw new EmailTaken();
  const user: UserAccount = {
    id: randomUUID(),
    email,
    passwordHash: await deps.hasher.hash(password, signal),
    role,
    fullName,
    phone: phone ?? null,
    createdAt: deps.clock.now(),
  };
  const event = makeEvent(
    'user.v1.registered',
    user.id,
    { userId: user.id, email, role, fullName, phone: user.phone, registeredAt: user.createdAt.toISOString() },
    ctx?.traceId,
  );
  await deps.users.create(user, [event], ctx);
  const tokens = await deps.tokens.open(user, ctx);

  try {
    await deps.profiles.createProfile({ userId: user.id, email, role, fullName, phone: user.phone }, ctx);
  } catch (err) {
    deps.logger.warn({ err, userId: user.id, traceId: ctx?.traceId }, 'CreateProfile failed; the user service will create it from user.v1.registered');
  }
  return { user, tokens };
}
