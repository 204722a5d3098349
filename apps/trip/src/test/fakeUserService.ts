import { user } from '@uitgo/grpc';
import { createServer, ServerError, Status } from 'nice-grpc';

/** A user service that reports every driver verified (the driver service asks before they go online). */
export async function startFakeUserService() {
  const server = createServer();
  const unimplemented = async () => {
    throw new ServerError(Status.UNIMPLEMENTED, 'not part of the fake');
  };
  const methods = Object.fromEntries(Object.keys(user.UserServiceDefinition.methods).map((name) => [name, unimplemented]));
  const getVerificationStatus = async () => ({ status: user.VerificationStatus.VERIFICATION_STATUS_VERIFIED });
  server.add(user.UserServiceDefinition, { ...methods, getVerificationStatus } as unknown as user.UserServiceImplementation);
  const port = await server.listen('127.0.0.1:0');
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}
