import type { Role } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';

/** The user service's side of a new account. */
export interface UserProfiles {
  /** `context` is the registration request's: the call continues its trace. */
  createProfile(profile: { userId: string; email: string; role: Role; fullName: string; phone: string | null }, context?: RequestContext): Promise<void>;
}
