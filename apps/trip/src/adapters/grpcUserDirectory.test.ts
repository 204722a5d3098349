import { randomUUID } from 'node:crypto';
import { user } from '@uitgo/grpc';
import { createGrpcClient, openChannel } from '@uitgo/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUserService, type FakeUserService } from '../test/fakeUserService.js';
import { GrpcUserDirectory } from './grpcUserDirectory.js';

describe('GrpcUserDirectory', () => {
  let users: FakeUserService;
  let channel: ReturnType<typeof openChannel>;
  let directory: GrpcUserDirectory;
  const ctx = { traceId: randomUUID().replaceAll('-', ''), caller: { userId: randomUUID(), role: 'passenger' as const } };

  beforeAll(async () => {
    users = await startFakeUserService();
    channel = openChannel(users.address);
    directory = new GrpcUserDirectory(createGrpcClient(user.UserServiceDefinition, channel, { deadlineMs: 2_000 }));
  });
  afterAll(() => {
    channel?.close();
    users?.stop();
  });

  it('reads the display name as the trip service, on the trace of the request it serves', async () => {
    const driverId = randomUUID();
    users.nameUser(driverId, 'Võ Thị Sáu');
    expect(await directory.name(ctx, driverId)).toBe('Võ Thị Sáu');
    expect(users.profileRequests.at(-1)).toEqual({ userId: driverId, context: { traceId: ctx.traceId, caller: { userId: 'trip-service', role: 'service' } } });
  });

  it('answers null for a user without a profile or without a name', async () => {
    expect(await directory.name(ctx, randomUUID())).toBeNull();
    const nameless = randomUUID();
    users.nameUser(nameless, '');
    expect(await directory.name(ctx, nameless)).toBeNull();
  });

  it('fails with UNAVAILABLE when the user service cannot be reached', async () => {
    const down = await startFakeUserService();
    down.stop();
    const unreachable = openChannel(down.address);
    try {
      const directoryOfNobody = new GrpcUserDirectory(createGrpcClient(user.UserServiceDefinition, unreachable, { deadlineMs: 2_000 }));
      await expect(directoryOfNobody.name(ctx, randomUUID())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      unreachable.close();
    }
  });
});
