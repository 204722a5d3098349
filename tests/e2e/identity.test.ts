import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import { describeOverHttp, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';

const password = 'correct-Horse-42';
const uniqueEmail = (who: string) => `${who}-${randomUUID().slice(0, 12)}@e2e.uitgo.test`;
const fieldsOf = (body: Json): string[] => body.details.fields.map((f: { path: string }) => f.path);

/** Checks a JWT's EdDSA signature with node:crypto against a published JWKS, as a third party would. */
function verifyWithJwks(token: string, jwks: { keys: Json[] }): { header: Json; payload: Json } {
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`kid ${header.kid} is not published`);
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  if (!verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) throw new Error('bad signature');
  return { header, payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

/** Every auth and user route of API.md, through the real gateway and the real services. */
function identitySuite(start: () => Promise<TestPlatform>) {
  let platform: TestPlatform;
  let api: ApiClient;
  let admin: { token: string; id: string };
  let passenger: { id: string; email: string; token: string; refreshToken: string };
  let driver: { id: string; email: string; token: string };

  const register = (email: string, role: 'passenger' | 'driver', headers: Record<string, string> = {}) =>
    api.post('/auth/register', { email, password, fullName: `E2E ${role}`, role, phone: '+84901234567' }, { headers });

  /** Profiles follow registration (possibly through an event), so wait for the caller's to exist. */
  const profileOf = (token: string) =>
    eventually(async () => {
      const res = await api.get('/users/me', { token });
      return res.status === 200 ? res.body : undefined;
    }, { what: 'profile created after registration' });

  /** The client's side of a document: create it, PUT the file to the signed URL, complete it. */
  const uploadDocument = async (token: string, kind: string, file: Buffer, contentType = 'application/pdf') => {
    const created = await api.post('/users/me/documents', { kind, contentType, sizeBytes: file.length }, { token });
    expect(created.status, created.text).toBe(201);
    const { document, upload } = created.body;
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers ?? { 'content-type': contentType }, body: file });
    expect(put.status, await put.text()).toBeLessThan(300);
    const done = await api.post(`/users/me/documents/${document.id}/complete`, undefined, { token });
    expect(done.status, done.text).toBe(200);
    return done.body;
  };

  beforeAll(async () => {
    platform = await start();
    api = new ApiClient(platform.url);
    const login = await api.post('/auth/login', platform.admin);
    expect(login.status, login.text).toBe(200);
    admin = { token: login.body.accessToken, id: login.body.user.id };
    const p = await register(uniqueEmail('passenger'), 'passenger');
    expect(p.status, p.text).toBe(201);
    passenger = { id: p.body.user.id, email: p.body.user.email, token: p.body.accessToken, refreshToken: p.body.refreshToken };
    const d = await register(uniqueEmail('driver'), 'driver');
    expect(d.status, d.text).toBe(201);
    driver = { id: d.body.user.id, email: d.body.user.email, token: d.body.accessToken };
  });
  afterAll(() => platform?.stop());

  it('register answers 201 with the account and a token pair; the bootstrap admin is an admin', async () => {
    const email = uniqueEmail('Fresh');
    const res = await register(` ${email.toUpperCase()} `, 'passenger');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      user: { id: expect.any(String), email: email.toLowerCase(), role: 'passenger', fullName: 'E2E passenger' },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: 'Bearer',
    });
    expect(res.headers.get('x-trace-id')).toBeTruthy();
    expect((await register(email, 'driver')).body.code).toBe('EMAIL_TAKEN');
    expect((await api.get('/auth/me', { token: admin.token })).body.role).toBe('admin');
  });

  it('refuses malformed requests with 400 naming the fields, and admins cannot self-register', async () => {
    const bad = await api.post('/auth/register', { email: 'not-an-email', password: 'short', role: 'admin' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(bad.body)).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.fullName', 'body.role']));
    const broken = await api.post('/auth/login', undefined, { raw: '{"email": "a@b.c",' });
    expect([broken.status, broken.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(fieldsOf(broken.body)).toEqual(['body']);
    const empty = await api.post('/auth/login', undefined, { raw: '', headers: { 'content-type': 'application/json' } });
    expect([empty.status, empty.body.code, fieldsOf(empty.body)]).toEqual([400, 'VALIDATION_FAILED', ['body']]);
    // A NUL byte or another control character in a name is refused, never a 500.
    const nul = await api.post('/auth/register', { email: `nul-${Date.now()}@example.com`, password, fullName: 'An\u0000', role: 'passenger' });
    expect([nul.status, fieldsOf(nul.body)]).toEqual([400, ['body.fullName']]);
    const nulPatch = await api.patch('/users/me', { fullName: 'Bình\u0000' }, { token: passenger.token });
    expect([nulPatch.status, fieldsOf(nulPatch.body)]).toEqual([400, ['body.fullName']]);
    const typed = await api.post('/auth/login', undefined, { raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(typed.status).toBe(415);
    expect(typed.body.traceId).toBe(typed.headers.get('x-trace-id'));
    const patch = await api.patch('/users/me', { phone: 'call me', unknown: true }, { token: passenger.token });
    expect(patch.status).toBe(400);
    expect(fieldsOf(patch.body)).toContain('body.phone');
  });

  it('login answers the account and tokens; wrong passwords are 401 INVALID_CREDENTIALS', async () => {
    const ok = await api.post('/auth/login', { email: passenger.email, password });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ user: { id: passenger.id, role: 'passenger' }, tokenType: 'Bearer' });
    const wrong = await api.post('/auth/login', { email: passenger.email, password: 'Wrong-password-9' });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
  });

  it('GET /auth/me answers the token\'s account; tokens verify against the published JWKS', async () => {
    const me = await api.get('/auth/me', { token: passenger.token });
    expect(me.body).toEqual({ id: passenger.id, email: passenger.email, role: 'passenger', fullName: 'E2E passenger' });
    const jwks = await api.get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const { payload, header } = verifyWithJwks(passenger.token, jwks.body);
    expect(header.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ sub: passenger.id, role: 'passenger', sid: expect.any(String), iss: 'uitgo-auth', aud: 'uitgo-api' });
    expect((await api.get('/auth/me')).body.code).toBe('UNAUTHENTICATED');
    const tampered = `${passenger.token.slice(0, -4)}AAAA`;
    expect((await api.get('/auth/me', { token: tampered })).body.code).toBe('TOKEN_INVALID');
  });

  it('refresh spends the refresh token; presenting it again revokes the session, access token included', async () => {
    const session = (await api.post('/auth/login', { email: passenger.email, password })).body;
    const next = await api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(next.status).toBe(200);
    expect(next.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: expect.any(Number), tokenType: 'Bearer' });
    expect((await api.get('/auth/me', { token: next.body.accessToken })).status).toBe(200);
    const reuse = await api.post('/auth/refresh', { refreshToken: session.refreshToken });
    expect([reuse.status, reuse.body.code]).toEqual([401, 'SESSION_REVOKED']);
    const after = await api.get('/auth/me', { token: next.body.accessToken });
    expect([after.status, after.body.code]).toEqual([401, 'SESSION_REVOKED']);
    expect((await api.post('/auth/refresh', { refreshToken: next.body.refreshToken })).status).toBe(401);
    // Other sessions of the same account live on.
    expect((await api.get('/auth/me', { token: passenger.token })).status).toBe(200);
  });

  it('logout answers 204 and that session\'s access and refresh tokens stop working at once', async () => {
    const session = (await api.post('/auth/login', { email: passenger.email, password })).body;
    expect((await api.get('/auth/me', { token: session.accessToken })).status).toBe(200);
    // Clients that always send a JSON content type may send no body.
    const out = await api.post('/auth/logout', undefined, { token: session.accessToken, raw: '', headers: { 'content-type': 'application/json' } });
    expect(out.status, out.text).toBe(204);
    const me = await api.get('/auth/me', { token: session.accessToken });
    expect([me.status, me.body.code]).toEqual([401, 'SESSION_REVOKED']);
    expect((await api.get('/users/me', { token: session.accessToken })).status).toBe(401);
    expect((await api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });

  it('an idempotent register replays the first response: same status and body, one account', async () => {
    const email = uniqueEmail('idem');
    const headers = { 'idempotency-key': randomUUID() };
    const answers = await Promise.all(Array.from({ length: 5 }, () => register(email, 'passenger', headers)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const different = await api.post('/auth/register', { email, password, fullName: 'Changed', role: 'passenger' }, { headers });
    expect([different.status, different.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const noKey = await register(email, 'passenger');
    expect(noKey.body.code).toBe('EMAIL_TAKEN');
  });

  it('profiles: read and change one\'s own', async () => {
    const profile = await profileOf(passenger.token);
    expect(profile).toEqual({
      id: passenger.id,
      email: passenger.email,
      role: 'passenger',
      fullName: 'E2E passenger',
      phone: '+84901234567',
      avatarUrl: null,
      verificationStatus: 'unverified',
      verificationReason: null,
      createdAt: expect.any(String),
    });
    const changed = await api.patch('/users/me', { fullName: 'Trần Thị Bình', phone: null }, { token: passenger.token });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ fullName: 'Trần Thị Bình', phone: null });
    expect((await api.get('/users/me', { token: passenger.token })).body.fullName).toBe('Trần Thị Bình');
    // The auth service learns the new name from user.v1.profile_updated: tokens issued from
    // then on, and so /auth/me, carry it.
    await eventually(async () => {
      const login = await api.post('/auth/login', { email: passenger.email, password });
      const me = await api.get('/auth/me', { token: login.body.accessToken });
      return me.body.fullName === 'Trần Thị Bình' ? me.body : undefined;
    }, { what: 'the new name in a freshly issued token' });
  });

  it('documents: signed upload, complete once stored, download; tampered URLs and early completion are refused', async () => {
    await profileOf(driver.token);
    const file = Buffer.from(`%PDF-1.4 licence of ${driver.email}\n`);
    const created = await api.post('/users/me/documents', { kind: 'driver_license', contentType: 'application/pdf', sizeBytes: file.length }, { token: driver.token });
    expect(created.status, created.text).toBe(201);
    expect(created.body.document).toMatchObject({ kind: 'driver_license', status: 'awaiting_upload' });
    const { document, upload } = created.body;

    const early = await api.post(`/users/me/documents/${document.id}/complete`, undefined, { token: driver.token });
    expect([early.status, early.body.code]).toEqual([409, 'DOCUMENT_NOT_UPLOADED']);

    const url = new URL(upload.url);
    const tampered = new URL(url);
    tampered.pathname = `${url.pathname}-other`;
    const refused = await fetch(tampered, { method: upload.method, headers: upload.headers ?? {}, body: file });
    expect(refused.status).toBe(403);

    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers ?? { 'content-type': 'application/pdf' }, body: file });
    expect(put.status, await put.text()).toBeLessThan(300);

    const notMine = await api.post(`/users/me/documents/${document.id}/complete`, undefined, { token: passenger.token });
    expect([notMine.status, notMine.body.code]).toEqual([404, 'DOCUMENT_NOT_FOUND']);
    const done = await api.post(`/users/me/documents/${document.id}/complete`, undefined, { token: driver.token });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ id: document.id, status: 'uploaded', downloadUrl: expect.any(String) });

    const list = await api.get('/users/me/documents', { token: driver.token });
    const listed = list.body.items.find((d: { id: string }) => d.id === document.id);
    expect(listed).toMatchObject({ kind: 'driver_license', status: 'uploaded', contentType: 'application/pdf', sizeBytes: file.length });
    const download = await fetch(listed.downloadUrl);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(file);
    expect((await api.get('/users/me/documents', { token: passenger.token })).body.items).toEqual([]);

    const avatar = await api.post('/users/me/documents', { kind: 'avatar', contentType: 'application/pdf', sizeBytes: 10 }, { token: driver.token });
    expect(fieldsOf(avatar.body)).toEqual(['body.contentType']);
  });

  it('an idempotent document creation replays the same document and upload', async () => {
    await profileOf(passenger.token);
    const body = { kind: 'avatar', contentType: 'image/png', sizeBytes: 64 };
    const headers = { 'idempotency-key': randomUUID() };
    const first = await api.post('/users/me/documents', body, { token: passenger.token, headers });
    const again = await api.post('/users/me/documents', body, { token: passenger.token, headers });
    expect(first.status).toBe(201);
    expect([again.status, again.text]).toEqual([201, first.text]);
  });

  it('admin routes: other roles get 403; admins list with filters and cursor, read any profile, decide verification', async () => {
    const d = await register(uniqueEmail('verified-driver'), 'driver');
    const candidate = { id: d.body.user.id as string, token: d.body.accessToken as string };
    expect((await profileOf(candidate.token)).verificationStatus).toBe('unverified');
    await uploadDocument(candidate.token, 'driver_license', Buffer.from('%PDF-1.4 licence'));
    await uploadDocument(candidate.token, 'national_id', Buffer.from('%PDF-1.4 id card'));
    for (const token of [passenger.token, driver.token]) {
      expect((await api.get('/users', { token })).body.code).toBe('FORBIDDEN');
      expect((await api.get(`/users/${driver.id}`, { token })).status).toBe(403);
      expect((await api.post(`/users/${driver.id}/verification`, { decision: 'verified' }, { token })).status).toBe(403);
      expect((await api.get(`/users/${candidate.id}/documents`, { token })).body.code).toBe('FORBIDDEN');
      expect((await api.get(`/users/${candidate.id}/verification-decisions`, { token })).status).toBe(403);
    }
    const pending = await eventually(async () => {
      const res = await api.get('/users?role=driver&verificationStatus=pending&limit=100', { token: admin.token });
      return res.body.items.some((p: { id: string }) => p.id === candidate.id) ? res.body : undefined;
    }, { what: 'driver pending after uploading a licence' });
    expect(pending.items.every((p: { role: string; verificationStatus: string }) => p.role === 'driver' && p.verificationStatus === 'pending')).toBe(true);

    const first = await api.get('/users?limit=1', { token: admin.token });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.get(`/users?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: admin.token });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(fieldsOf((await api.get('/users?limit=1000', { token: admin.token })).body)).toEqual(['querystring.limit']);

    expect((await api.get(`/users/${passenger.id}`, { token: admin.token })).body.id).toBe(passenger.id);
    expect((await api.get(`/users/${randomUUID()}`, { token: admin.token })).body.code).toBe('USER_NOT_FOUND');
    expect((await api.get('/users/not-a-uuid', { token: admin.token })).status).toBe(400);
    const decided = await api.post(`/users/${candidate.id}/verification`, { decision: 'verified', reason: 'Licence checked' }, { token: admin.token });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({ id: candidate.id, verificationStatus: 'verified' });
    expect((await api.get('/users/me', { token: candidate.token })).body.verificationStatus).toBe('verified');
    expect((await api.post(`/users/${candidate.id}/verification`, { decision: 'maybe' }, { token: admin.token })).status).toBe(400);
    expect(decided.body.verificationReason).toBeNull();

    // Reviewing: the driver's documents as the driver sees them (links aside), each downloadable.
    const own = (await api.get('/users/me/documents', { token: candidate.token })).body.items;
    const reviewed = await api.get(`/users/${candidate.id}/documents`, { token: admin.token });
    expect(reviewed.status, reviewed.text).toBe(200);
    const withoutLinks = (items: Json[]) => items.map(({ downloadUrl: _link, ...document }) => document);
    expect(withoutLinks(reviewed.body.items)).toEqual(withoutLinks(own));
    expect(reviewed.body.items.map((d: { kind: string }) => d.kind).sort()).toEqual(['driver_license', 'national_id']);
    const licence = reviewed.body.items.find((d: { kind: string }) => d.kind === 'driver_license');
    const download = await fetch(licence.downloadUrl);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('%PDF-1.4 licence');
    expect((await api.get(`/users/${randomUUID()}/documents`, { token: admin.token })).body.code).toBe('USER_NOT_FOUND');

    // A later rejection: the driver is told why, and the audit trail lists both decisions, newest first.
    const rejected = await api.post(`/users/${candidate.id}/verification`, { decision: 'rejected', reason: 'Licence has expired' }, { token: admin.token });
    expect(rejected.body).toMatchObject({ verificationStatus: 'rejected', verificationReason: 'Licence has expired' });
    expect((await api.get('/users/me', { token: candidate.token })).body).toMatchObject({ verificationStatus: 'rejected', verificationReason: 'Licence has expired' });
    expect((await api.get(`/users/${candidate.id}`, { token: admin.token })).body.verificationReason).toBe('Licence has expired');
    const trail = `/users/${candidate.id}/verification-decisions`;
    const newest = await api.get(`${trail}?limit=1`, { token: admin.token });
    expect(newest.status, newest.text).toBe(200);
    expect(newest.body).toEqual({
      items: [{ id: expect.any(String), decision: 'rejected', reason: 'Licence has expired', decidedBy: admin.id, decidedAt: expect.any(String) }],
      nextCursor: expect.any(String),
    });
    const older = await api.get(`${trail}?limit=1&cursor=${encodeURIComponent(newest.body.nextCursor)}`, { token: admin.token });
    expect(older.body).toEqual({
      items: [{ id: expect.any(String), decision: 'verified', reason: 'Licence checked', decidedBy: admin.id, decidedAt: expect.any(String) }],
      nextCursor: null,
    });
    expect(Date.parse(older.body.items[0].decidedAt)).toBeLessThanOrEqual(Date.parse(newest.body.items[0].decidedAt));
    expect((await api.get(trail, { token: admin.token })).body.items.map((d: { decision: string }) => d.decision)).toEqual(['rejected', 'verified']);
    expect((await api.get(`/users/${randomUUID()}/verification-decisions`, { token: admin.token })).body.code).toBe('USER_NOT_FOUND');
    expect(fieldsOf((await api.get(`${trail}?limit=0`, { token: admin.token })).body)).toEqual(['querystring.limit']);
    expect((await api.get(`${trail}?cursor=bogus`, { token: admin.token })).body.code).toBe('VALIDATION_FAILED');
  });
}

await describeOverHttp('identity end to end', identitySuite, async () => {
  describe('identity end to end (embedded platform)', () => identitySuite(() => startEmbeddedTestPlatform()));

  await describeReal('identity end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka'], () =>
    identitySuite(() => startRealTestPlatform()),
  );
});
