import type { ProfileCursor } from '../domain/cursor.js';
import type { NewProfile, Profile, ProfileChanges, Role, VerificationStatus } from '../domain/profile.js';

export interface ProfileFilter {
  role?: Role | undefined;
  verificationStatus?: VerificationStatus | undefined;
  after?: ProfileCursor | undefined;
  limit: number;
}

export interface ProfileRepository {
  /** Inserts unless a profile with this id exists; `created` says which happened. */
  insertIfAbsent(profile: NewProfile): Promise<{ profile: Profile; created: boolean }>;
  findById(id: string): Promise<Profile | null>;
  /** Reads and locks the row until the transaction ends (no-op lock outside one). */
  findByIdForUpdate(id: string): Promise<Profile | null>;
  update(id: string, changes: ProfileChanges, at: Date): Promise<Profile | null>;
  /** Newest first by (createdAt, id). */
  list(filter: ProfileFilter): Promise<Profile[]>;
}
