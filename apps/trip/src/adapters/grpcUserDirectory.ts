import type { user } from '@uitgo/grpc';
import { isAppError, type GrpcClient, type RequestContext } from '@uitgo/kit';
import type { UserDirectory } from '../ports/userDirectory.js';
import { asTripService } from './asTripService.js';

/** The user service over gRPC. */
export class GrpcUserDirectory implements UserDirectory {
  constructor(private readonly client: GrpcClient<typeof user.UserServiceDefinition>) {}

  async name(ctx: RequestContext, userId: string): Promise<string | null> {
    try {
      const { profile } = await this.client.getProfile({ userId }, asTripService(ctx));
      return profile?.fullName || null;
    } catch (err) {
      if (isAppError(err) && err.code === 'USER_NOT_FOUND') return null;
      throw err;
    }
  }
}
