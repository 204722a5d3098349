import { common, user } from '@uitgo/grpc';
import { AppError, contextFromMetadata, encodeWireError, ERROR_TRAILER, type RequestContext } from '@uitgo/kit';
import { createServer, ServerError, Status, type CallContext } from 'nice-grpc';

/**
 * A user service that reports every driver verified (the driver service asks before they go
 * online) and answers GetProfile for the names it was given (others: USER_NOT_FOUND, as the real
 * one answers); it records who asked for which profile.
 */
export async function startFakeUserService() {
  const server = createServer();
  const names = new Map<string, string>();
  const profileRequests: { userId: string; context: RequestContext }[] = [];
  const unimplemented = async () => {
    throw new ServerError(Status.UNIMPLEMENTED, 'not part of the fake');
  };
  const methods = Object.fromEntries(Object.keys(user.UserServiceDefinition.methods).map((name) => [name, unimplemented]));
  const getVerificationStatus = async () => ({ status: user.VerificationStatus.VERIFICATION_STATUS_VERIFIED });
  const getProfile = async ({ userId }: user.GetProfileRequest, call: CallContext): Promise<user.GetProfileResponse> => {
    profileRequests.push({ userId, context: contextFromMetadata(call.metadata) });
    const fullName = names.get(userId);
    if (fullName === undefined) {
      const error = new AppError('USER_NOT_FOUND', `No user ${userId}`);
      call.trailer.set(ERROR_TRAILER, encodeWireError(error));
      throw new ServerError(Status.NOT_FOUND, error.message);
    }
    const verified = user.VerificationStatus.VERIFICATION_STATUS_VERIFIED;
    return { profile: { id: userId, email: `${userId}@example.com`, role: common.Role.ROLE_DRIVER, fullName, verificationStatus: verified, createTime: undefined, updateTime: undefined } };
  };
  server.add(user.UserServiceDefinition, { ...methods, getVerificationStatus, getProfile } as unknown as user.UserServiceImplementation);
  const port = await server.listen('127.0.0.1:0');
  return {
    address: `127.0.0.1:${port}`,
    /** Gives the user a profile with this display name. */
    nameUser: (userId: string, fullName: string) => void names.set(userId, fullName),
    profileRequests,
    stop: () => server.forceShutdown(),
  };
}

export type FakeUserService = Awaited<ReturnType<typeof startFakeUserService>>;
