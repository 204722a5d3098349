import { randomUUID } from 'node:crypto';
import { common, driver, user } from '@uitgo/grpc';
import { createGrpcClient, openChannel, UnimplementedRpc, type Caller } from '@uitgo/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, eventually, startEmbeddedDriverService, type DriverServiceHarness } from './test/harness.js';

const archivedTotal = async (service: { runtime: { metrics: { registry: { getSingleMetricAsString(name: string): Promise<string> } } } }) =>
  Number(/ (\d+)$/m.exec(await service.runtime.metrics.registry.getSingleMetricAsString('uitgo_driver_location_archived_total'))?.[1] ?? 0);

describe('DRIVER_ROLE: the API and the location archiver as separate processes', () => {
  let h: DriverServiceHarness;
  beforeAll(async () => {
    h = await startEmbeddedDriverService({ DRIVER_ROLE: 'api' });
  });
  afterAll(() => h?.stop());

  it('the archiver process writes what the API process records, and serves no DriverService', async () => {
    const archiver = await h.startSibling!({ DRIVER_ROLE: 'archiver' });
    const me: Caller = { userId: randomUUID(), role: 'driver' };
    h.verification.set(me.userId, user.VerificationStatus.VERIFICATION_STATUS_VERIFIED);
    await as(me, () => h.client.upsertDriverProfile({ driverId: me.userId, vehicleType: common.VehicleType.VEHICLE_TYPE_CAR4, plateNumber: '51F-12345', vehicleModel: 'Vios' }));
    await as(me, () => h.client.goOnline({ driverId: me.userId }));
    const at = new Date(Date.now() - 1_000);
    await as(me, () => h.client.recordLocations({ driverId: me.userId, points: [{ location: { lat: 10.8, lng: 106.7 }, recordedTime: at }] }));

    const track = await eventually(async () => {
      const points = await h.archive.track(me.userId, new Date(at.getTime() - 1), new Date());
      return points.length > 0 ? points : undefined;
    });
    expect(track).toEqual([expect.objectContaining({ driverId: me.userId, lat: 10.8, lng: 106.7, recordedAt: at })]);
    expect(await archivedTotal(archiver)).toBe(1);

    const channel = openChannel(archiver.grpcAddress);
    try {
      const client = createGrpcClient(driver.DriverServiceDefinition, channel, { deadlineMs: 5_000 });
      // UNIMPLEMENTED on the wire: the kit's client reports it as UnimplementedRpc (INTERNAL to its callers).
      const refused = await as(me, () => client.getDriverProfile({ driverId: me.userId })).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(UnimplementedRpc);
      expect(refused).toMatchObject({ code: 'INTERNAL', path: '/uitgo.driver.v1.DriverService/GetDriverProfile' });
    } finally {
      channel.close();
    }
  });
});
