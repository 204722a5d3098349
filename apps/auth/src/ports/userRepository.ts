import type { Role, UitgoEvent } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';

export interface UserAccount {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  fullName: string;
  phone: string | null;
  createdAt: Date;
}

/** `context`, the request's, makes the queries spans of its trace (tracing on). */
export interface UserRepository {
  findById(id: string, context?: RequestContext): Promise<UserAccount | undefined>;
  /** `email` must already be normalised (trimmed, lowercased). */
  findByEmail(email: string, context?: RequestContext): Promise<UserAccount | undefined>;
  /**
   * Inserts the account and its events (outbox) in one transaction. Throws EmailTaken when
   * the email is taken, also when a concurrent insert won the race.
   */
  create(user: UserAccount, events: readonly UitgoEvent[], context?: RequestContext): Promise<void>;
  updatePasswordHash(id: string, passwordHash: string, context?: RequestContext): Promise<void>;
  /** The name and phone the user service holds now (tokens issued from here on carry them). */
  updateContact(id: string, contact: { fullName: string; phone: string | null }, context?: RequestContext): Promise<void>;
}
