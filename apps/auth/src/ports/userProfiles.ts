import type { Role } from '@uitgo/contracts';

/** The user service's side of a new account. */
export interface UserProfiles {
  createProfile(
    profile: { userId: string; email: string; role: Role; fullName: string; phone: string | null },
    traceId?: string,
  ): Promise<void>;
}
