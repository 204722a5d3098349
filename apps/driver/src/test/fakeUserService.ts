import { user } from '@uitgo/grpc';
import { createServer, ServerError, Status } from 'nice-grpc';

/** A user service that answers GetVerificationStatus from a map (unknown users: NOT_FOUND); stop() makes it unreachable. */
export async function startFakeUserService(statuses: Map<string, user.VerificationStatus>) {
  const server = createServer();
  const implementation: Pick<user.UserServiceImplementation, 'getVerificationStatus'> = {
    async getVerificationStatus(request) {
      const status = statuses.get(request.userId);
      if (status === undefined) throw new ServerError(Status.NOT_FOUND, 'no such user');
      return { status };
    },
  };
  const unimplemented = async () => {
    throw new ServerError(Status.UNIMPLEMENTED, 'not part of the fake');
  };
  const methods = Object.fromEntries(Object.keys(user.UserServiceDefinition.methods).map((name) => [name, unimplemented]));
  server.add(user.UserServiceDefinition, { ...methods, ...implementation } as unknown as user.UserServiceImplementation);
  const port = await server.listen('127.0.0.1:0');
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}
