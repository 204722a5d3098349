import { randomUUID } from 'node:crypto';
import { AppError } from '@uitgo/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestGateway, type TestGateway } from '../test/testGateway.js';

const password = 'correct-Horse-42';

describe('gateway user routes (fake user service over gRPC)', () => {
  let gw: TestGateway;
  let passenger: { id: string; token: string };
  let driver: { id: string; token: string };
  let admin: { id: string; token: string };

  beforeAll(async () => {
    gw = await startTestGateway();
    const signIn = async (email: string, role: 1 | 2 | 3) => {
      const account = gw.fake.addAccount({ email, password, role, fullName: `User ${role}` });
      return { id: account.id, token: (await gw.fake.openSession(account)).accessToken };
    };
    passenger = await signIn('p@example.com', 1);
    driver = await signIn('d@example.com', 2);
    admin = await signIn('admin@example.com', 3);
  });
  afterAll(() => gw?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object, headers: Record<string, string> = {}) =>
    gw.app.inject({ method, url: `/api/v1${url}`, headers: { ...bearer(token), ...headers }, ...(payload ? { payload } : {}) });

  it('reads and changes the caller\'s own profile', async () => {
    const me = await call('GET', '/users/me', passenger.token);
    expect(me.json()).toEqual({
      id: passenger.id,
      email: 'p@example.com',
      role: 'passenger',
      fullName: 'User 1',
      phone: null,
      avatarUrl: null,
      verificationStatus: 'unverified',
      verificationReason: null,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const changed = await call('PATCH', '/users/me', passenger.token, { fullName: 'Bình', phone: '+84901234567' });
    expect(changed.json()).toMatchObject({ fullName: 'Bình', phone: '+84901234567' });
    expect((await call('PATCH', '/users/me', passenger.token, { phone: null })).json().phone).toBeNull();
    const bad = await call('PATCH', '/users/me', passenger.token, { phone: '12', nickname: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['body.phone']));
  });

  it('creates a document with a signed upload, completes it and lists it with a download link', async () => {
    const created = await call('POST', '/users/me/documents', driver.token, { kind: 'driver_license', contentType: 'application/pdf', sizeBytes: 2048 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      document: { id: expect.any(String), kind: 'driver_license', status: 'awaiting_upload', contentType: 'application/pdf', sizeBytes: 2048, downloadUrl: null, createdAt: expect.any(String) },
      upload: { url: expect.stringMatching(/^https:/), method: 'PUT', headers: { 'content-type': 'application/pdf' }, expiresAt: expect.any(String) },
    });
    const id = created.json().document.id;
    const done = await call('POST', `/users/me/documents/${id}/complete`, driver.token);
    expect(done.json()).toMatchObject({ id, status: 'uploaded', downloadUrl: expect.stringMatching(/^https:/) });
    expect((await call('POST', `/users/me/documents/${id}/complete`, passenger.token)).json().code).toBe('DOCUMENT_NOT_FOUND');
    expect((await call('POST', '/users/me/documents/not-a-uuid/complete', driver.token)).json().details.fields[0].path).toBe('params.id');
    const list = await call('GET', '/users/me/documents', driver.token);
    expect(list.json().items).toEqual([expect.objectContaining({ id, status: 'uploaded' })]);
    const wrongType = await call('POST', '/users/me/documents', driver.token, { kind: 'avatar', contentType: 'application/pdf', sizeBytes: 10 });
    expect(wrongType.json().details.fields).toEqual([{ path: 'body.contentType', message: expect.stringContaining('avatar') }]);
  });

  it('an idempotent document creation replays its 201; a failed first attempt releases the key for the retry', async () => {
    const body = { kind: 'avatar', contentType: 'image/png', sizeBytes: 100 };
    const headers = { 'idempotency-key': randomUUID() };
    gw.fake.failNextCreateDocument = new AppError('UNAVAILABLE', 'storage down');
    expect((await call('POST', '/users/me/documents', passenger.token, body, headers)).statusCode).toBe(503);
    const first = await call('POST', '/users/me/documents', passenger.token, body, headers);
    const again = await call('POST', '/users/me/documents', passenger.token, body, headers);
    expect(first.statusCode).toBe(201);
    expect([again.statusCode, again.body]).toEqual([201, first.body]);
    // The same key from another user is another request.
    const other = await call('POST', '/users/me/documents', driver.token, body, headers);
    expect(other.json().document.id).not.toBe(first.json().document.id);
    expect((await call('POST', '/users/me/documents', passenger.token, { ...body, sizeBytes: 101 }, headers)).statusCode).toBe(422);
  });

  it('admin routes: 403 for other roles, filters and cursor for admins, verification decisions', async () => {
    for (const who of [passenger, driver]) {
      const res = await call('GET', '/users', who.token);
      expect([res.statusCode, res.json().code]).toEqual([403, 'FORBIDDEN']);
      expect((await call('GET', `/users/${passenger.id}`, who.token)).statusCode).toBe(403);
      expect((await call('POST', `/users/${driver.id}/verification`, who.token, { decision: 'verified' })).statusCode).toBe(403);
    }
    const page1 = await call('GET', '/users?limit=2', admin.token);
    expect(page1.json()).toEqual({ items: expect.any(Array), nextCursor: '2' });
    expect(page1.json().items).toHaveLength(2);
    const page2 = await call('GET', `/users?limit=2&cursor=${page1.json().nextCursor}`, admin.token);
    expect(page2.json().nextCursor).toBeNull();
    const drivers = await call('GET', '/users?role=driver&verificationStatus=unverified', admin.token);
    expect(drivers.json().items.map((p: { id: string }) => p.id)).toEqual([driver.id]);
    expect((await call('GET', '/users?limit=0&role=pilot', admin.token)).json().details.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['querystring.limit', 'querystring.role']),
    );
    expect((await call('GET', `/users/${driver.id}`, admin.token)).json().id).toBe(driver.id);
    expect((await call('GET', `/users/${randomUUID()}`, admin.token)).json().code).toBe('USER_NOT_FOUND');
    const verified = await call('POST', `/users/${driver.id}/verification`, admin.token, { decision: 'verified', reason: 'all good' });
    expect(verified.json()).toMatchObject({ id: driver.id, verificationStatus: 'verified' });
    const decided = gw.fake.contexts.filter((c) => c.method === 'decideVerification').at(-1)!.context;
    expect(decided?.caller).toMatchObject({ userId: admin.id, role: 'admin' });
  });

  it('passes the service\'s own refusals through with their status: USER_NOT_FOUND is 404', async () => {
    const ghost = gw.fake.addAccount({ email: 'ghost@example.com', password, role: 1, fullName: 'Ghost' });
    const { accessToken } = await gw.fake.openSession(ghost);
    gw.fake.profiles.delete(ghost.id);
    const res = await call('GET', '/users/me', accessToken);
    expect([res.statusCode, res.json().code]).toEqual([404, 'USER_NOT_FOUND']);
  });
});
