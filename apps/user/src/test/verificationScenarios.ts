import { randomUUID } from 'node:crypto';
import { user } from '@uitgo/grpc';
import type { Caller } from '@uitgo/kit';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DrizzleUserStore } from '../adapters/drizzleUserStore.js';
import * as schema from '../db/schema.js';
import { uploadDocument } from './documentScenarios.js';
import { as, type UserServiceHarness } from './harness.js';
import { anAdmin, register } from './profileScenarios.js';

const { DocumentKind, VerificationDecision, VerificationStatus } = user;
const { VERIFICATION_DECISION_VERIFIED: VERIFIED, VERIFICATION_DECISION_REJECTED: REJECTED } = VerificationDecision;

/** A driver whose licence and national id are in, so admins may decide. */
async function pendingDriver(h: UserServiceHarness): Promise<Caller> {
  const driver = await register(h, 'driver');
  await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE);
  await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_NATIONAL_ID);
  return driver;
}

const listAll = async (h: UserServiceHarness, caller: Caller, userId: string, pageSize: number) => {
  const all: user.VerificationDecisionRecord[] = [];
  let pageToken = '';
  do {
    const page = await as(caller, () => h.client.listVerificationDecisions({ userId, pageSize, pageToken }));
    expect(page.decisions.length).toBeLessThanOrEqual(pageSize);
    all.push(...page.decisions);
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  return all;
};

/** The audit trail of verification decisions and the reason a rejected user is shown, through gRPC. */
export function verificationScenarios(harness: () => UserServiceHarness) {
  it('shows a rejected driver the latest rejection\'s reason, and no reason once pending or verified again', async () => {
    const h = harness();
    const driver = await pendingDriver(h);
    const admin = anAdmin();
    const decide = (decision: user.VerificationDecision, reason?: string) =>
      as(admin, () => h.client.decideVerification({ userId: driver.userId, decision, reason, adminId: admin.userId }));
    const own = async () => (await as(driver, () => h.client.getProfile({ userId: driver.userId }))).profile!;
    expect((await own()).verificationReason).toBeUndefined();

    const rejected = await decide(REJECTED, 'Licence photo is blurry');
    expect(rejected.profile).toMatchObject({ verificationStatus: VerificationStatus.VERIFICATION_STATUS_REJECTED, verificationReason: 'Licence photo is blurry' });
    expect(await own()).toMatchObject({ verificationStatus: VerificationStatus.VERIFICATION_STATUS_REJECTED, verificationReason: 'Licence photo is blurry' });

    // A new upload makes the driver pending again: the old reason no longer applies.
    await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE);
    expect(await own()).toMatchObject({ verificationStatus: VerificationStatus.VERIFICATION_STATUS_PENDING, verificationReason: undefined });

    const verified = await decide(VERIFIED, 'Licence checked');
    expect(verified.profile).toMatchObject({ verificationStatus: VerificationStatus.VERIFICATION_STATUS_VERIFIED, verificationReason: undefined });
    await decide(REJECTED, 'National id has expired');
    const listed = await as(admin, () =>
      h.client.listProfiles({ role: 0, verificationStatus: VerificationStatus.VERIFICATION_STATUS_REJECTED, pageSize: 100, pageToken: '' }),
    );
    expect(listed.profiles.find((p) => p.id === driver.userId)?.verificationReason).toBe('National id has expired');
    expect((await as(admin, () => h.client.getProfile({ userId: driver.userId }))).profile?.verificationReason).toBe('National id has expired');
    await decide(VERIFIED);
    expect((await own()).verificationReason).toBeUndefined();
  });

  it('lets admins page through a driver\'s decisions newest first, as recorded', async () => {
    const h = harness();
    const driver = await pendingDriver(h);
    const [first, second] = [anAdmin(), anAdmin()];
    const decide = (admin: Caller, decision: user.VerificationDecision, reason?: string) =>
      as(admin, () => h.client.decideVerification({ userId: driver.userId, decision, reason, adminId: admin.userId }));
    await decide(first, REJECTED, 'Licence photo is blurry');
    await decide(second, VERIFIED);
    await decide(first, REJECTED, 'Plate does not match the registration');

    const trail = await listAll(h, second, driver.userId, 2);
    const rows = await h.db.select().from(schema.verificationDecisions).where(eq(schema.verificationDecisions.userId, driver.userId));
    const newestFirst = [...rows].sort((a, b) => b.decidedAt.getTime() - a.decidedAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(trail).toEqual(
      newestFirst.map((row) => ({
        id: row.id,
        userId: driver.userId,
        decision: row.decision === 'verified' ? VERIFIED : REJECTED,
        reason: row.reason ?? undefined,
        adminId: row.adminId,
        decideTime: row.decidedAt,
      })),
    );
    expect(trail.map((d) => [d.decision, d.reason ?? null, d.adminId]).sort()).toEqual(
      [
        [REJECTED, 'Licence photo is blurry', first.userId],
        [VERIFIED, null, second.userId],
        [REJECTED, 'Plate does not match the registration', first.userId],
      ].sort(),
    );
    const none = await register(h, 'driver');
    expect(await as(first, () => h.client.listVerificationDecisions({ userId: none.userId, pageSize: 0, pageToken: '' }))).toEqual({
      decisions: [],
      nextPageToken: '',
    });
  });

  it('pages on (decidedAt, id): decisions made in the same millisecond are neither skipped nor repeated', async () => {
    const h = harness();
    const driver = await register(h, 'driver');
    const store = new DrizzleUserStore(h.db);
    const admin = anAdmin();
    const base = Date.now() - 60_000;
    const times = [base, base + 1, base + 1, base + 1, base + 2, base + 3];
    for (const [i, at] of times.entries()) {
      const decision = i % 2 === 0 ? 'rejected' : 'verified';
      await store.decisions.append({
        id: randomUUID(),
        userId: driver.userId,
        adminId: admin.userId,
        decision,
        reason: decision === 'rejected' ? `reason ${i}` : null,
        decidedAt: new Date(at),
      });
    }
    const trail = await listAll(h, admin, driver.userId, 2);
    expect(trail).toHaveLength(times.length);
    expect(new Set(trail.map((d) => d.id)).size).toBe(times.length);
    const keys = trail.map((d) => `${d.decideTime!.toISOString()} ${d.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(trail[0]?.decideTime?.getTime()).toBe(base + 3);
  });

  it('keeps the trail to admins and services, and refuses unknown users and foreign cursors', async () => {
    const h = harness();
    const driver = await pendingDriver(h);
    const passenger = await register(h, 'passenger');
    const admin = anAdmin();
    await as(admin, () => h.client.decideVerification({ userId: driver.userId, decision: REJECTED, reason: 'Blurry', adminId: admin.userId }));
    const list = (caller: Caller, request: Partial<user.ListVerificationDecisionsRequest> = {}) =>
      as(caller, () => h.client.listVerificationDecisions({ userId: driver.userId, pageSize: 0, pageToken: '', ...request }));

    await expect(list(driver)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(list(passenger)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.client.listVerificationDecisions({ userId: driver.userId, pageSize: 0, pageToken: '' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await list({ userId: 'driver-service', role: 'service' })).decisions).toHaveLength(1);
    await expect(list(admin, { userId: randomUUID() })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(list(admin, { userId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(list(admin, { pageSize: 101 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const profiles = await as(admin, () => h.client.listProfiles({ role: 0, verificationStatus: 0, pageSize: 1, pageToken: '' }));
    await expect(list(admin, { pageToken: profiles.nextPageToken })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [expect.objectContaining({ path: 'cursor' })] },
    });
  });
}
