import { AppError, Overloaded } from '@uitgo/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, startTestGateway, type TestGateway } from '../test/testGateway.js';

const password = 'correct-Horse-42';
let n = 0;
const newEmail = () => `rider${++n}-${Date.now()}@example.com`;

describe('gateway auth routes (fake auth service over gRPC)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());

  const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    gw.app.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object, headers });
  const get = (url: string, headers: Record<string, string> = {}) => gw.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const register = (email = newEmail(), headers: Record<string, string> = {}) =>
    post('/auth/register', { email, password, fullName: 'An Nguyen', role: 'passenger' }, headers);

  it('registers, logs in and answers /auth/me with the token\'s account; the caller and trace id reach the service', async () => {
    const email = newEmail();
    const created = await register(` ${email.toUpperCase()} `);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      user: { id: expect.any(String), email, role: 'passenger', fullName: 'An Nguyen' },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    const login = await post('/auth/login', { email, password }, { 'x-forwarded-for': '203.0.113.9' });
    expect(login.statusCode).toBe(200);
    expect(gw.fake.loginIps.at(-1)).toBe('127.0.0.1');
    const me = await get('/auth/me', { ...bearer(login.json().accessToken), 'x-trace-id': 'trace-me-000001' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ id: created.json().user.id, email, role: 'passenger', fullName: 'An Nguyen' });
    const seen = gw.fake.contexts.filter((c) => c.method === 'getMe').at(-1)!.context;
    expect(seen).toMatchObject({ traceId: 'trace-me-000001', caller: { userId: created.json().user.id, role: 'passenger', sessionId: expect.any(String) } });
  });

  it('maps the service\'s errors: EMAIL_TAKEN 409, INVALID_CREDENTIALS 401', async () => {
    const email = newEmail();
    await register(email);
    const again = await register(email);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EMAIL_TAKEN', traceId: again.headers['x-trace-id'] });
    const wrong = await post('/auth/login', { email, password: 'not-the-Password-1' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses requests without a valid token: missing, not Bearer, garbage, expired', async () => {
    expect((await get('/auth/me')).json().code).toBe('UNAUTHENTICATED');
    expect((await get('/auth/me', { authorization: 'Basic dXNlcjpwYXNz' })).json().code).toBe('UNAUTHENTICATED');
    const garbage = await get('/auth/me', bearer('not.a.jwt'));
    expect([garbage.statusCode, garbage.json().code]).toEqual([401, 'TOKEN_INVALID']);
    const account = gw.fake.addAccount({ email: newEmail(), password, role: 1, fullName: 'Old Token' });
    const expired = await gw.fake.issuer.sign({ sub: account.id, role: 'passenger', sid: 's-old' }, { now: Date.now() - 3_600_000 });
    const res = await get('/auth/me', bearer(expired));
    expect([res.statusCode, res.json().code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('logout makes the access token fail at once, even though the token itself is still valid', async () => {
    const { accessToken } = (await register()).json();
    expect((await get('/auth/me', bearer(accessToken))).statusCode).toBe(200);
    const out = await post('/auth/logout', undefined, bearer(accessToken));
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const after = await get('/auth/me', bearer(accessToken));
    expect([after.statusCode, after.json().code]).toEqual([401, 'SESSION_REVOKED']);
  });

  it('refresh spends the token; presenting it again revokes the session and its access tokens here too', async () => {
    const first = (await register()).json();
    const refreshed = await post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json()).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    const newAccess = refreshed.json().accessToken;
    expect((await get('/auth/me', bearer(newAccess))).statusCode).toBe(200);
    const reused = await post('/auth/refresh', { refreshToken: first.refreshToken });
    expect([reused.statusCode, reused.json().code]).toEqual([401, 'SESSION_REVOKED']);
    expect((await get('/auth/me', bearer(newAccess))).json().code).toBe('SESSION_REVOKED');
    expect((await post('/auth/refresh', { refreshToken: 'never-issued' })).json().code).toBe('TOKEN_INVALID');
  });

  it('validates bodies (400 naming the fields), content types (415), malformed JSON (400) and sizes (413)', async () => {
    const bad = await post('/auth/register', { email: 'nope', password: 'short', role: 'admin', extra: 1 });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.fullName', 'body.role']));
    const text = await gw.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: 'email=a', headers: { 'content-type': 'text/plain' } });
    expect([text.statusCode, text.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const broken = await gw.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect([broken.statusCode, broken.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const huge = await post('/auth/login', { email: 'a@b.co', password: 'x'.repeat(100 * 1024) });
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(gw.fake.calls.register ?? 0).toBeGreaterThan(0);
  });

  it('replays an idempotent register: 10 concurrent identical requests reach the service once and get the same answer', async () => {
    let open!: () => void;
    gw.fake.registerGate = new Promise<void>((resolve) => (open = resolve));
    const before = gw.fake.calls.register ?? 0;
    const email = newEmail();
    const headers = { 'idempotency-key': `reg-${email}` };
    const pending = Array.from({ length: 10 }, () => register(email, headers));
    await eventually(() => (gw.fake.calls.register ?? 0) === before + 1);
    open();
    const answers = await Promise.all(pending);
    gw.fake.registerGate = undefined;
    expect(gw.fake.calls.register).toBe(before + 1);
    expect(new Set(answers.map((a) => a.statusCode))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(9);

    const later = await register(email, headers);
    expect([later.statusCode, later.body]).toEqual([201, answers[0]!.body]);
    const changed = await post('/auth/register', { email, password, fullName: 'Someone Else', role: 'passenger' }, headers);
    expect([changed.statusCode, changed.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(gw.fake.calls.register).toBe(before + 1);
  });

  it('publishes the JWKS from its cache', async () => {
    const res = await get('/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ keys: gw.fake.issuer.jwks().map(({ y: _y, ...key }) => key) });
  });

  it('turns an unexpected service failure into 5xx with the error body, never a hang', async () => {
    gw.fake.failNextCreateDocument = new AppError('UNAVAILABLE', 'storage down');
    const { accessToken } = (await register()).json();
    const res = await post('/users/me/documents', { kind: 'avatar', contentType: 'image/png', sizeBytes: 10 }, bearer(accessToken));
    expect([res.statusCode, res.json().code]).toEqual([503, 'UNAVAILABLE']);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('tells a client refused for load when to retry (Retry-After from the refusal)', async () => {
    gw.fake.failNextCreateDocument = new Overloaded('/uitgo.user.v1.UserService/CreateDocument');
    const { accessToken } = (await register()).json();
    const res = await post('/users/me/documents', { kind: 'avatar', contentType: 'image/png', sizeBytes: 10 }, bearer(accessToken));
    expect([res.statusCode, res.headers['retry-after']]).toEqual([503, '1']);
    expect(res.json()).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('retry in a second'), traceId: res.headers['x-trace-id'] });
  });
});

describe('gateway rate limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_PUBLIC_MAX: '3', RATE_LIMIT_USER_MAX: '5' });
  });
  afterAll(() => gw?.close());

  it('limits public routes per client address and signed-in routes per user, with retry-after', async () => {
    const login = () => gw.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@example.com', password: 'whatever-1' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login()).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await login();
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', traceId: limited.headers['x-trace-id'] });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await gw.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.7', payload: { email: 'x@example.com', password: 'whatever-1' } });
    expect(other.statusCode).toBe(401);

    const account = gw.fake.addAccount({ email: 'limited@example.com', password, role: 1, fullName: 'Busy' });
    const { accessToken } = await gw.fake.openSession(account);
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await gw.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(accessToken) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
