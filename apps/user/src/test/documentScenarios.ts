import { randomBytes } from 'node:crypto';
import { user } from '@uitgo/grpc';
import type { Caller } from '@uitgo/kit';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { as, type UserServiceHarness } from './harness.js';
import { anAdmin, register } from './profileScenarios.js';

const { DocumentKind, DocumentStatus, VerificationStatus, VerificationDecision } = user;

/** The object key inside a presigned URL (path-style S3 or the local /files route). */
const objectKeyOf = (url: string): string => /users\/[^?]+/.exec(decodeURIComponent(new URL(url).pathname))![0];

async function startUpload(h: UserServiceHarness, caller: Caller, kind: user.DocumentKind, contentType: string, sizeBytes: number) {
  const created = await as(caller, () => h.client.createDocument({ userId: caller.userId, kind, contentType, sizeBytes }));
  return { document: created.document!, upload: created.upload! };
}

const put = (upload: user.PresignedUpload, body: Buffer, headers: Record<string, string> = {}) =>
  fetch(upload.url, { method: upload.method, headers: { ...upload.headers, ...headers }, body });

export async function uploadDocument(h: UserServiceHarness, caller: Caller, kind: user.DocumentKind, contentType = 'image/jpeg') {
  const body = randomBytes(2048);
  const { document, upload } = await startUpload(h, caller, kind, contentType, body.length);
  expect((await put(upload, body)).status).toBe(200);
  const completed = await as(caller, () => h.client.completeDocument({ userId: caller.userId, documentId: document.id }));
  return { document: completed.document!, body };
}

/** Uploads straight to storage, verification and its audit trail, through gRPC. */
export function documentScenarios(harness: () => UserServiceHarness) {
  it('uploads an avatar with a real PUT to the presigned URL and serves it back through short-lived links', async () => {
    const h = harness();
    const me = await register(h, 'passenger');
    const body = randomBytes(4096);
    const { document, upload } = await startUpload(h, me, DocumentKind.DOCUMENT_KIND_AVATAR, 'image/png', body.length);
    expect(document).toMatchObject({ userId: me.userId, kind: DocumentKind.DOCUMENT_KIND_AVATAR, status: DocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD });
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png', 'Content-Length': String(body.length) } });
    expect(objectKeyOf(upload.url)).toMatch(new RegExp(`^users/${me.userId}/avatar/[A-Za-z0-9_-]{22}$`));
    const ttl = upload.expireTime!.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);

    const before = await as(me, () => h.client.listDocuments({ userId: me.userId }));
    expect(before.documents).toEqual([expect.objectContaining({ id: document.id, status: DocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD })]);
    expect(before.documents[0]?.downloadUrl).toBeUndefined();

    expect((await put(upload, body)).status).toBe(200);
    const completed = await as(me, () => h.client.completeDocument({ userId: me.userId, documentId: document.id }));
    expect(completed.document).toMatchObject({ status: DocumentStatus.DOCUMENT_STATUS_UPLOADED, downloadUrl: expect.any(String) });
    const again = await as(me, () => h.client.completeDocument({ userId: me.userId, documentId: document.id }));
    expect(again.document?.uploadTime).toEqual(completed.document?.uploadTime);

    const listed = await as(me, () => h.client.listDocuments({ userId: me.userId }));
    const link = listed.documents[0]!;
    expect(link.downloadExpireTime!.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    const download = await fetch(link.downloadUrl!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);

    const profile = await as(me, () => h.client.getProfile({ userId: me.userId }));
    const avatar = await fetch(profile.profile!.avatarUrl!);
    expect(Buffer.from(await avatar.arrayBuffer()).equals(body)).toBe(true);
    expect(profile.profile?.verificationStatus).toBe(VerificationStatus.VERIFICATION_STATUS_UNVERIFIED);
  });

  it('checks the declared kind, type and size', async () => {
    const h = harness();
    const me = await register(h, 'driver');
    await expect(startUpload(h, me, DocumentKind.DOCUMENT_KIND_AVATAR, 'application/pdf', 100)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await expect(startUpload(h, me, DocumentKind.DOCUMENT_KIND_AVATAR, 'image/png', 5 * 1024 * 1024 + 1)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(startUpload(h, me, DocumentKind.DOCUMENT_KIND_UNSPECIFIED, 'image/png', 100)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const pdf = await startUpload(h, me, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE, 'application/pdf', 10 * 1024 * 1024);
    expect(pdf.document.status).toBe(DocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD);
  });

  it('completes only when storage holds exactly what was declared (409 DOCUMENT_NOT_UPLOADED otherwise)', async () => {
    const h = harness();
    const me = await register(h, 'driver');
    const { document, upload } = await startUpload(h, me, DocumentKind.DOCUMENT_KIND_NATIONAL_ID, 'image/jpeg', 1000);
    const complete = () => as(me, () => h.client.completeDocument({ userId: me.userId, documentId: document.id }));
    await expect(complete()).rejects.toMatchObject({ code: 'DOCUMENT_NOT_UPLOADED', details: { missing: true } });

    const key = objectKeyOf(upload.url);
    await h.objects.put(key, randomBytes(999), { contentType: 'image/jpeg' });
    await expect(complete()).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_UPLOADED',
      details: { differences: [{ field: 'sizeBytes', declared: 1000, stored: 999 }] },
    });
    await h.objects.put(key, randomBytes(1000), { contentType: 'image/png' });
    await expect(complete()).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_UPLOADED',
      details: { differences: [{ field: 'contentType', declared: 'image/jpeg', stored: 'image/png' }] },
    });
    const listed = await as(me, () => h.client.listDocuments({ userId: me.userId }));
    expect(listed.documents[0]?.status).toBe(DocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD);
  });

  it('rejects a tampered presigned URL and a body that differs from the signed headers', async () => {
    const h = harness();
    const [me, victim] = [await register(h, 'driver'), await register(h, 'driver')];
    const body = randomBytes(512);
    const { upload } = await startUpload(h, me, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE, 'image/jpeg', body.length);
    const key = objectKeyOf(upload.url);
    const retargeted = { ...upload, url: upload.url.replace(key, `users/${victim.userId}/driver_license/${randomBytes(16).toString('base64url')}`) };
    expect((await put(retargeted, body)).status).toBe(403);
    expect((await put(upload, body, { 'Content-Type': 'image/png' })).status).toBe(403);
    expect(await h.objects.head(key)).toBeNull();
    expect((await put(upload, body)).status).toBe(200);
  });

  it('never lets one user reach another user\'s documents', async () => {
    const h = harness();
    const [owner, intruder] = [await register(h, 'driver'), await register(h, 'driver')];
    const { document } = await uploadDocument(h, owner, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE);
    await expect(as(intruder, () => h.client.completeDocument({ userId: intruder.userId, documentId: document.id }))).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
    await expect(as(intruder, () => h.client.completeDocument({ userId: owner.userId, documentId: document.id }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(as(intruder, () => h.client.listDocuments({ userId: owner.userId }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(intruder, () => h.client.completeDocument({ userId: intruder.userId, documentId: 'not-a-uuid' }))).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
    const reviewed = await as(anAdmin(), () => h.client.listDocuments({ userId: owner.userId }));
    expect(reviewed.documents.map((d) => d.id)).toEqual([document.id]);
    expect(reviewed.documents[0]?.downloadUrl).toEqual(expect.any(String));
  });

  it('makes a driver pending once licence and national id are uploaded; passengers stay unverified', async () => {
    const h = harness();
    const driver = await register(h, 'driver');
    const status = (caller: Caller) => as(caller, () => h.client.getVerificationStatus({ userId: caller.userId }));
    await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE, 'application/pdf');
    expect((await status(driver)).status).toBe(VerificationStatus.VERIFICATION_STATUS_UNVERIFIED);
    await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_NATIONAL_ID);
    expect(await status(driver)).toMatchObject({ status: VerificationStatus.VERIFICATION_STATUS_PENDING, reason: undefined, decideTime: undefined });

    const passenger = await register(h, 'passenger');
    await uploadDocument(h, passenger, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE);
    await uploadDocument(h, passenger, DocumentKind.DOCUMENT_KIND_NATIONAL_ID);
    expect((await status(passenger)).status).toBe(VerificationStatus.VERIFICATION_STATUS_UNVERIFIED);
    await expect(as(passenger, () => h.client.getVerificationStatus({ userId: driver.userId }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets an admin decide, with an audit row and a user.v1.verification_decided event in the same transaction', async () => {
    const h = harness();
    const driver = await register(h, 'driver');
    const admin = anAdmin();
    const decide = (caller: Caller, decision: user.VerificationDecision, reason?: string) =>
      as(caller, () => h.client.decideVerification({ userId: driver.userId, decision, reason, adminId: caller.userId }));
    await expect(decide(admin, VerificationDecision.VERIFICATION_DECISION_VERIFIED)).rejects.toMatchObject({ code: 'DOCUMENT_NOT_UPLOADED' });
    await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_DRIVER_LICENSE);
    await uploadDocument(h, driver, DocumentKind.DOCUMENT_KIND_NATIONAL_ID);

    await expect(decide(driver, VerificationDecision.VERIFICATION_DECISION_VERIFIED)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide(admin, VerificationDecision.VERIFICATION_DECISION_REJECTED)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [expect.objectContaining({ path: 'reason' })] },
    });
    await expect(decide(admin, VerificationDecision.VERIFICATION_DECISION_UNSPECIFIED)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const verified = await decide(admin, VerificationDecision.VERIFICATION_DECISION_VERIFIED);
    expect(verified.profile?.verificationStatus).toBe(VerificationStatus.VERIFICATION_STATUS_VERIFIED);
    const rejected = await decide(admin, VerificationDecision.VERIFICATION_DECISION_REJECTED, 'Licence photo is blurry');
    expect(rejected.profile?.verificationStatus).toBe(VerificationStatus.VERIFICATION_STATUS_REJECTED);
    const standing = await as({ userId: 'driver-service', role: 'service' }, () => h.client.getVerificationStatus({ userId: driver.userId }));
    expect(standing).toMatchObject({ status: VerificationStatus.VERIFICATION_STATUS_REJECTED, reason: 'Licence photo is blurry' });

    const audit = await h.db.select().from(schema.verificationDecisions).where(eq(schema.verificationDecisions.userId, driver.userId));
    expect(audit.map((row) => [row.decision, row.reason, row.adminId])).toEqual(
      expect.arrayContaining([
        ['verified', null, admin.userId],
        ['rejected', 'Licence photo is blurry', admin.userId],
      ]),
    );
    expect(audit).toHaveLength(2);
    expect(standing.decideTime).toEqual(audit.find((row) => row.decision === 'rejected')?.decidedAt);

    const events = await h.db
      .select()
      .from(schema.outbox)
      .where(and(eq(schema.outbox.key, driver.userId), eq(schema.outbox.type, 'user.v1.verification_decided')));
    expect(events.map((event) => event.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: driver.userId, role: 'driver', decision: 'verified', reason: null, decidedBy: admin.userId }),
        expect.objectContaining({ decision: 'rejected', reason: 'Licence photo is blurry' }),
      ]),
    );
    expect(events.every((event) => event.topic === 'uitgo.identity.v1')).toBe(true);

    const passenger = await register(h, 'passenger');
    await expect(
      as(admin, () => h.client.decideVerification({ userId: passenger.userId, decision: VerificationDecision.VERIFICATION_DECISION_VERIFIED, adminId: '' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
}
