import type { Role } from '@uitgo/contracts';
import { newTraceId, type GrpcClient, type RequestContext } from '@uitgo/kit';
import type { user } from '@uitgo/grpc';
import type { UserProfiles } from '../ports/userProfiles.js';
import { roleToProto } from '../grpc/roleMapping.js';

/** CreateProfile on the user service, with its own short deadline. */
export class GrpcUserProfiles implements UserProfiles {
  constructor(
    private readonly client: GrpcClient<typeof user.UserServiceDefinition>,
    private readonly deadlineMs: number,
  ) {}

  async createProfile(profile: { userId: string; email: string; role: Role; fullName: string; phone: string | null }, context?: RequestContext): Promise<void> {
    await this.client.createProfile(
      {
        userId: profile.userId,
        email: profile.email,
        role: roleToProto(profile.role),
        fullName: profile.fullName,
        ...(profile.phone ? { phone: profile.phone } : {}),
      },
      // The new account has no session yet: auth acts as a service on the user's behalf.
      { deadline: this.deadlineMs, context: { ...(context ?? { traceId: newTraceId() }), caller: { userId: profile.userId, role: 'service' } } },
    );
  }
}
