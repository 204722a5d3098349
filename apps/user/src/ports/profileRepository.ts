import type { RequestContext } from '@uitgo/kit';
import type { KeysetPosition } from '../domain/cursor.js';
import type { NewProfile, Profile, ProfileChanges, Role, VerificationStatus } from '../domain/profile.js';

export interface ProfileFilter {
  role?: Role | undefined;
  verificationStatus?: VerificationStatus | undefined;
  /** The (createdAt, id) of the last profile of the previous page. */
  after?: KeysetPosition | undefined;
  limit: number;
}

/** `context`, the request's, makes the queries spans of its trace (tracing on); a unit of work's repositories run in its transaction's. */
export interface ProfileRepository {
  /** Inserts unless a profile with this id exists; `created` says which happened. */
  insertIfAbsent(profile: NewProfile, context?: RequestContext): Promise<{ profile: Profile; created: boolean }>;
  findById(id: string, context?: RequestContext): Promise<Profile | null>;
  /** Reads and locks the row until the transaction ends (no-op lock outside one). */
  findByIdForUpdate(id: string, context?: RequestContext): Promise<Profile | null>;
  update(id: string, changes: ProfileChanges, at: Date, context?: RequestContext): Promise<Profile | null>;
  /** Newest first by (createdAt, id). */
  list(filter: ProfileFilter, context?: RequestContext): Promise<Profile[]>;
}
