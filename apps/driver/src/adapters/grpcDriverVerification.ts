import { user } from '@uitgo/grpc';
import { isAppError, type GrpcClient, type RequestContext } from '@uitgo/kit';
import type { DriverVerification } from '../ports/driverVerification.js';

const STATUS: Record<number, string> = {
  [user.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED]: 'unverified',
  [user.VerificationStatus.VERIFICATION_STATUS_PENDING]: 'pending',
  [user.VerificationStatus.VERIFICATION_STATUS_VERIFIED]: 'verified',
  [user.VerificationStatus.VERIFICATION_STATUS_REJECTED]: 'rejected',
};

/** The user service's GetVerificationStatus, called with the driver's own identity (the request context passed on). */
export class GrpcDriverVerification implements DriverVerification {
  constructor(private readonly users: GrpcClient<typeof user.UserServiceDefinition>) {}

  async statusOf(ctx: RequestContext, driverId: string): Promise<string> {
    try {
      const reply = await this.users.getVerificationStatus({ userId: driverId }, { context: ctx });
      return STATUS[reply.status] ?? 'unknown';
    } catch (err) {
      // No profile in the user service: not verified. Anything else (UNAVAILABLE, deadline) propagates.
      if (isAppError(err) && err.code === 'USER_NOT_FOUND') return 'unknown';
      throw err;
    }
  }
}
