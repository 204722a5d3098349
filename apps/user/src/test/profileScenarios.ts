import { randomUUID } from 'node:crypto';
import { makeEvent, TOPICS } from '@uitgo/contracts';
import { common, user } from '@uitgo/grpc';
import type { Caller } from '@uitgo/kit';
import { count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DrizzleUserStore } from '../adapters/drizzleUserStore.js';
import * as schema from '../db/schema.js';
import { as, eventually, type UserServiceHarness } from './harness.js';

export const authService: Caller = { userId: 'auth-service', role: 'service' };
export const anAdmin = (): Caller => ({ userId: randomUUID(), role: 'admin' });

export async function register(h: UserServiceHarness, role: 'passenger' | 'driver'): Promise<Caller> {
  const userId = randomUUID();
  await as(authService, () =>
    h.client.createProfile({
      userId,
      email: `${userId}@example.com`,
      role: role === 'driver' ? common.Role.ROLE_DRIVER : common.Role.ROLE_PASSENGER,
      fullName: `Test ${role}`,
    }),
  );
  return { userId, role };
}

/** Profiles, registration events and the admin list, through gRPC. */
export function profileScenarios(harness: () => UserServiceHarness) {
  it('creates a profile idempotently: a repeat returns the first one', async () => {
    const { client } = harness();
    const userId = randomUUID();
    const request = { userId, email: ' An.Nguyen@Example.com ', role: common.Role.ROLE_DRIVER, fullName: 'Nguyễn Văn An', phone: '+84901234567' };
    const first = await as(authService, () => client.createProfile(request));
    const again = await as(authService, () => client.createProfile({ ...request, fullName: 'Someone Else' }));
    expect(first.profile).toMatchObject({
      id: userId,
      email: 'an.nguyen@example.com',
      role: common.Role.ROLE_DRIVER,
      fullName: 'Nguyễn Văn An',
      phone: '+84901234567',
      verificationStatus: user.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED,
    });
    expect(first.profile?.avatarUrl).toBeUndefined();
    expect(again.profile).toEqual(first.profile);
    const own = await as({ userId, role: 'driver' }, () => client.getProfile({ userId }));
    expect(own.profile).toEqual(first.profile);
  });

  it('refuses a malformed profile and a call without a caller', async () => {
    const { client } = harness();
    await expect(
      as(authService, () => client.createProfile({ userId: 'nope', email: 'x', role: common.Role.ROLE_UNSPECIFIED, fullName: '' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: expect.arrayContaining([expect.objectContaining({ path: 'userId' })]) } });
    await expect(client.getProfile({ userId: randomUUID() })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(as(anAdmin(), () => client.getProfile({ userId: randomUUID() }))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('creates the profile from user.v1.registered, once however often it is delivered', async () => {
    const h = harness();
    const userId = randomUUID();
    const payload = { userId, email: `${userId}@example.com`, role: 'passenger' as const, fullName: 'From Event', phone: null, registeredAt: new Date().toISOString() };
    const registered = makeEvent('user.v1.registered', userId, payload);
    await h.bus.publish(TOPICS.identity, [registered]);
    const found = await eventually(async () => (await as(anAdmin(), () => h.client.getProfile({ userId }))).profile);
    expect(found).toMatchObject({ id: userId, fullName: 'From Event', role: common.Role.ROLE_PASSENGER });
    expect(found.createTime?.toISOString()).toBe(payload.registeredAt);

    // A redelivery (same id, even with other content) changes nothing; a later event on the key proves it was handled.
    await h.bus.publish(TOPICS.identity, [{ ...registered, payload: { ...payload, fullName: 'Redelivered' } }]);
    const later = makeEvent('user.v1.registered', userId, { ...payload, fullName: 'Later' });
    await h.bus.publish(TOPICS.identity, [later]);
    const processed = (eventId: string) =>
      h.db.select({ n: count() }).from(schema.processedEvents).where(eq(schema.processedEvents.eventId, eventId));
    await eventually(async () => ((await processed(later.id))[0]?.n === 1 ? true : undefined));
    expect((await processed(registered.id))[0]?.n).toBe(1);
    const profile = await as({ userId, role: 'passenger' }, () => h.client.getProfile({ userId }));
    expect(profile.profile?.fullName).toBe('From Event');
  });

  it('lets users change their own name and phone, and clear the phone', async () => {
    const { client } = harness();
    const me = await register(harness(), 'passenger');
    const updated = await as(me, () => client.updateProfile({ userId: me.userId, fullName: '  Trần Thị Bình ', phone: '0901234567' }));
    expect(updated.profile).toMatchObject({ fullName: 'Trần Thị Bình', phone: '0901234567' });
    expect(updated.profile!.updateTime!.getTime()).toBeGreaterThanOrEqual(updated.profile!.createTime!.getTime());
    const cleared = await as(me, () => client.updateProfile({ userId: me.userId, phone: '' }));
    expect(cleared.profile).toMatchObject({ fullName: 'Trần Thị Bình' });
    expect(cleared.profile?.phone).toBeUndefined();
    await expect(as(me, () => client.updateProfile({ userId: me.userId, phone: 'call me' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [expect.objectContaining({ path: 'phone' })] },
    });
  });

  it('forbids reading or changing someone else\'s profile', async () => {
    const { client } = harness();
    const [alice, bob] = [await register(harness(), 'passenger'), await register(harness(), 'driver')];
    await expect(as(bob, () => client.getProfile({ userId: alice.userId }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(bob, () => client.updateProfile({ userId: alice.userId, fullName: 'Hacked' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(anAdmin(), () => client.updateProfile({ userId: alice.userId, fullName: 'Admin edit' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const read = await as(anAdmin(), () => client.getProfile({ userId: alice.userId }));
    expect(read.profile?.fullName).toBe('Test passenger');
  });

  it('lets a peer service read any profile (the trip service names the driver on a receipt), but not change it', async () => {
    const { client } = harness();
    const driver = await register(harness(), 'driver');
    const tripService: Caller = { userId: 'trip-service', role: 'service' };
    const read = await as(tripService, () => client.getProfile({ userId: driver.userId }));
    expect(read.profile).toMatchObject({ id: driver.userId, fullName: 'Test driver', role: common.Role.ROLE_DRIVER });
    await expect(as(tripService, () => client.getProfile({ userId: randomUUID() }))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(as(tripService, () => client.updateProfile({ userId: driver.userId, fullName: 'Renamed' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('pages admins through profiles newest first with filters, without duplicates or gaps', async () => {
    const h = harness();
    const store = new DrizzleUserStore(h.db);
    const tie = new Date(Date.now() - 60_000);
    const drivers: string[] = [];
    // Several rows share one created_at, so the cursor must break ties by id.
    for (let i = 0; i < 8; i++) {
      const id = randomUUID();
      const createdAt = i < 5 ? tie : new Date(tie.getTime() + i);
      await store.profiles.insertIfAbsent({ id, email: `${id}@example.com`, role: 'driver', fullName: `Driver ${i}`, phone: null, createdAt });
      drivers.push(id);
    }
    for (const id of drivers.slice(0, 3)) await store.profiles.update(id, { verificationStatus: 'pending' }, new Date());
    const passenger = await register(h, 'passenger');
    const admin = anAdmin();
    const list = (request: Partial<user.ListProfilesRequest>) =>
      as(admin, () => h.client.listProfiles({ role: common.Role.ROLE_DRIVER, verificationStatus: 0, pageSize: 0, pageToken: '', ...request }));

    const paged: user.Profile[] = [];
    let pageToken = '';
    do {
      const page = await list({ pageSize: 3, pageToken });
      expect(page.profiles.length).toBeLessThanOrEqual(3);
      paged.push(...page.profiles);
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    // Other suites may register drivers meanwhile (real mode shares the identity topic); they are
    // newer than this test's rows, so paging must still return each of ours exactly once, in order.
    expect(new Set(paged.map((p) => p.id)).size).toBe(paged.length);
    const ours = paged.map((p) => p.id).filter((id) => drivers.includes(id));
    expect([...ours].sort()).toEqual([...drivers].sort());
    expect(ours.slice(0, 3)).toEqual([drivers[7], drivers[6], drivers[5]]);
    expect(paged.map((p) => p.id)).not.toContain(passenger.userId);
    expect(paged.every((p) => p.role === common.Role.ROLE_DRIVER)).toBe(true);
    const keys = paged.map((p) => `${p.createTime!.toISOString()} ${p.id}`);
    expect(keys).toEqual([...keys].sort().reverse());

    const pending = await list({ verificationStatus: user.VerificationStatus.VERIFICATION_STATUS_PENDING, pageSize: 100 });
    expect(pending.profiles.map((p) => p.id)).toEqual(expect.arrayContaining(drivers.slice(0, 3)));
    expect(pending.profiles.map((p) => p.id)).not.toContain(drivers[3]);
    expect(pending.profiles.every((p) => p.verificationStatus === user.VerificationStatus.VERIFICATION_STATUS_PENDING)).toBe(true);

    const first = await list({ pageSize: 2 });
    const tampered = `${first.nextPageToken.slice(0, -4)}AAAA`;
    await expect(list({ pageToken: tampered })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(list({ pageSize: 101 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(as(passenger, () => h.client.listProfiles({ role: 0, verificationStatus: 0, pageSize: 5, pageToken: '' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

}
