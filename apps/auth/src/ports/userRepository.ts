import type { Role, UitgoEvent } from '@uitgo/contracts';

export interface UserAccount {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  fullName: string;
  phone: string | null;
  createdAt: Date;
}

export interface UserRepository {
  findById(id: string): Promise<UserAccount | undefined>;
  /** `email` must already be normalised (trimmed, lowercased). */
  findByEmail(email: string): Promise<UserAccount | undefined>;
  /**
   * Inserts the account and its events (outbox) in one transaction. Throws EmailTaken when
   * the email is taken, also when a concurrent insert won the race.
   */
  create(user: UserAccount, events: readonly UitgoEvent[]): Promise<void>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
}
