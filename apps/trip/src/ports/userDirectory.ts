import type { RequestContext } from '@uitgo/kit';

/** What the trip service needs from the user service; every call is made as the trip service. */
export interface UserDirectory {
  /** The user's display name; null when they have no profile. */
  name(ctx: RequestContext, userId: string): Promise<string | null>;
}
