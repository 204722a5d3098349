import { randomUUID } from 'node:crypto';
import { makeEvent } from '@uitgo/contracts';
import type { Logger } from '@uitgo/kit';
import { EmailTaken } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/passwordHasher.js';
import type { UserRepository } from '../ports/userRepository.js';

export type BootstrapOutcome = 'created' | 'exists';

/**
 * Creates the first admin from configuration unless an account with that email exists.
 * Idempotent across restarts and safe when replicas start together (the unique email decides).
 * The email must be normalised and the password must already satisfy the policy (config checks both).
 */
export async function bootstrapAdmin(
  deps: { users: UserRepository; hasher: PasswordHasher; clock: Clock; logger: Logger },
  admin: { email: string; password: string },
): Promise<BootstrapOutcome> {
  const existing = await deps.users.findByEmail(admin.email);
  if (existing) {
    if (existing.role !== 'admin') deps.logger.warn({ userId: existing.id }, 'the bootstrap admin email belongs to a non-admin account; left unchanged');
    return 'exists';
  }
  const now = deps.clock.now();
  const id = randomUUID();
  const fullName = 'Administrator';
  const event = makeEvent('user.v1.registered', id, {
    userId: id,
    email: admin.email,
    role: 'admin',
    fullName,
    phone: null,
    registeredAt: now.toISOString(),
  });
  try {
    const passwordHash = await deps.hasher.hash(admin.password);
    await deps.users.create({ id, email: admin.email, passwordHash, role: 'admin', fullName, phone: null, createdAt: now }, [event]);
  } catch (err) {
    if (err instanceof EmailTaken) return 'exists';
    throw err;
  }
  deps.logger.info({ userId: id }, 'bootstrap admin created');
  return 'created';
}
