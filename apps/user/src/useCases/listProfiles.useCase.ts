import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { assertAdmin } from '../domain/accessPolicy.js';
import { pageOf, pageSize, profileCursor } from '../domain/cursor.js';
import type { Role, VerificationStatus } from '../domain/profile.js';
import type { UserStore } from '../ports/userStore.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export interface ListProfilesInput {
  role: Role | null;
  verificationStatus: VerificationStatus | null;
  /** 0 for the default page size. */
  limit: number;
  /** Empty for the first page. */
  cursor: string;
}

export interface ProfilePage {
  items: ProfileView[];
  nextCursor: string | null;
}

/** Admins page through profiles newest first; the cursor is a keyset position, so pages neither skip nor repeat rows. */
export function makeListProfiles(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: ListProfilesInput): Promise<ProfilePage> => {
    assertAdmin(requireCaller(ctx.caller));
    const limit = pageSize(input.limit);
    const after = input.cursor === '' ? undefined : profileCursor.decode(input.cursor);
    const rows = await deps.store.profiles.list({
      role: input.role ?? undefined,
      verificationStatus: input.verificationStatus ?? undefined,
      after,
      limit: limit + 1,
    }, ctx);
    const { items, nextCursor } = pageOf(rows, limit, profileCursor, (profile) => ({ at: profile.createdAt, id: profile.id }));
    return { items: await Promise.all(items.map((profile) => viewProfile(profile, deps))), nextCursor };
  };
}
