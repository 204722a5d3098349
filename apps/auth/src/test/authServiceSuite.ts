import { randomUUID } from 'node:crypto';
import { auth, common } from '@uitgo/grpc';
import { CALLER_HEADER, createGrpcClient, openChannel, type Caller, type GrpcClient } from '@uitgo/kit';
import { eq } from 'drizzle-orm';
import { Metadata } from 'nice-grpc-common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AesGcmKeyCipher } from '../adapters/aesGcmKeyCipher.js';
import { DrizzleSigningKeyStore } from '../adapters/drizzleSigningKeyStore.js';
import { DrizzleUserRepository } from '../adapters/drizzleUserRepository.js';
import { JoseAccessTokens } from '../adapters/joseAccessTokens.js';
import { outbox } from '../db/schema.js';
import { systemClock } from '../ports/clock.js';
import type { startAuthService } from '../service.js';

/** The key-encryption secret both integration suites configure. */
export const SUITE_KEY_SECRET = 'integration-test-key-encryption-secret-0123456789';

export const BOOTSTRAP_ADMIN = { email: 'root@uitgo.test', password: 'Admin-Password-1' };

/** Short, so the suite sees a rotated-in key take over; production waits minutes. */
export const SUITE_PUBLISH_DELAY_MS = '300';

/** What each integration test file starts: the auth service on its own database, with the user service unreachable. */
export type StartAuth = () => Promise<RunningAuth>;
export type RunningAuth = Awaited<ReturnType<typeof startAuthService>> & { stopInfra?: () => Promise<void> };
export type AuthClient = GrpcClient<typeof auth.AuthServiceDefinition>;

/** Starts the service and a client of it before the file's tests (`started` receives them), and stops both after. */
export function runAuthService(start: StartAuth, started: (service: RunningAuth, client: AuthClient) => void): void {
  let service: RunningAuth | undefined;
  let channel: ReturnType<typeof openChannel> | undefined;

  beforeAll(async () => {
    service = await start();
    channel = openChannel(service.grpcAddress);
    started(service, createGrpcClient(auth.AuthServiceDefinition, channel, { deadlineMs: 10_000 }));
  });

  afterAll(async () => {
    channel?.close();
    await service?.stop();
    await service?.stopInfra?.();
  });
}

const asCaller = (caller: Caller) => ({ metadata: Metadata({ [CALLER_HEADER]: JSON.stringify(caller) }) });

const kidOf = (token: string): unknown => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;

/** The auth service end to end through gRPC; run on PGlite and on real Postgres + Redis. */
export function authServiceSuite(start: StartAuth): void {
  let service: RunningAuth;
  let client: AuthClient;
  runAuthService(start, (running, runningClient) => {
    service = running;
    client = runningClient;
  });

  const email = () => `rider-${randomUUID().slice(0, 8)}@Example.com`;
  const password = 'correct-Horse-42';

  it('register -> login -> validate -> refresh -> logout -> validate fails (user service down)', async () => {
    const address = email();
    const registered = await client.register({ email: address, password, fullName: 'An', role: common.Role.ROLE_PASSENGER });
    expect(registered.user).toMatchObject({ email: address.toLowerCase(), role: common.Role.ROLE_PASSENGER, fullName: 'An' });
    expect(registered.tokens).toMatchObject({ tokenType: 'Bearer', expiresInSeconds: 900 });
    const events = await service.runtime.database.db.select().from(outbox).where(eq(outbox.key, registered.user!.id));
    expect(events).toEqual([expect.objectContaining({ topic: 'uitgo.identity.v1', type: 'user.v1.registered' })]);

    const { user, tokens } = await client.login({ email: address.toUpperCase(), password, clientIp: '198.51.100.7' });
    const valid = await client.validateToken({ accessToken: tokens!.accessToken });
    expect(valid).toMatchObject({ subject: user!.id, role: common.Role.ROLE_PASSENGER, email: address.toLowerCase() });
    expect(valid.expireTime!.getTime()).toBeGreaterThan(Date.now());

    const renewed = await client.refresh({ refreshToken: tokens!.refreshToken });
    await expect(client.refresh({ refreshToken: tokens!.refreshToken })).rejects.toMatchObject({
      code: 'SESSION_REVOKED',
      details: { sessionId: valid.sessionId, reason: 'refresh_token_reuse' },
    });
    await expect(client.validateToken({ accessToken: renewed.tokens!.accessToken })).rejects.toMatchObject({ code: 'SESSION_REVOKED' });

    const again = await client.login({ email: address, password });
    const session = await client.validateToken({ accessToken: again.tokens!.accessToken });
    const caller = { userId: session.subject, role: 'passenger' as const, sessionId: session.sessionId };
    await expect(client.getMe({}, asCaller(caller))).resolves.toMatchObject({ user: { id: user!.id, email: address.toLowerCase() } });
    await client.logout({}, asCaller(caller));
    await client.logout({}, asCaller(caller));
    await expect(client.validateToken({ accessToken: again.tokens!.accessToken })).rejects.toMatchObject({
      code: 'SESSION_REVOKED',
      details: { sessionId: session.sessionId, reason: 'logout' },
    });
    await expect(client.refresh({ refreshToken: again.tokens!.refreshToken })).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const { tokens } = await client.register({ email: email(), password, fullName: 'Dũng', role: common.Role.ROLE_DRIVER });
    const results = await Promise.allSettled([client.refresh({ refreshToken: tokens!.refreshToken }), client.refresh({ refreshToken: tokens!.refreshToken })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'SESSION_REVOKED' } });
  });

  it('EMAIL_TAKEN is case-insensitive, also for concurrent registrations', async () => {
    const address = email();
    const request = { email: address, password, fullName: 'Bình', role: common.Role.ROLE_DRIVER };
    const results = await Promise.allSettled([client.register(request), client.register({ ...request, email: address.toUpperCase() })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'EMAIL_TAKEN' } });
    await expect(client.register({ ...request, email: ` ${address.toLowerCase()} ` })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
  });

  it('refuses to register an admin', async () => {
    await expect(client.register({ email: email(), password, fullName: 'Mallory', role: common.Role.ROLE_ADMIN })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [expect.objectContaining({ path: 'role' })] },
    });
  });

  it('bootstraps the admin from configuration, who may rotate keys without signing anyone out', async () => {
    const { user, tokens } = await client.login(BOOTSTRAP_ADMIN);
    expect(user).toMatchObject({ email: BOOTSTRAP_ADMIN.email, role: common.Role.ROLE_ADMIN });
    const before = await client.getJwks({});
    const session = await client.validateToken({ accessToken: tokens!.accessToken });

    const passenger = { userId: session.subject, role: 'passenger' as const, sessionId: session.sessionId };
    await expect(client.rotateSigningKeys({}, asCaller(passenger))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const rotation = await client.rotateSigningKeys({}, asCaller({ ...passenger, role: 'admin' }));
    const after = await client.getJwks({});
    expect(after.keys.map((k) => k.kid)).toEqual([rotation.activeKid, ...before.keys.map((k) => k.kid)]);
    expect(after.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', y: '' });
    await expect(client.validateToken({ accessToken: tokens!.accessToken })).resolves.toMatchObject({ subject: user!.id });

    // Published at once, signing only after the publish delay: the old key signs meanwhile.
    let renewed = await client.refresh({ refreshToken: tokens!.refreshToken });
    expect(kidOf(renewed.tokens!.accessToken)).toBe(before.keys[0]!.kid);
    const deadline = Date.now() + 5_000;
    while (kidOf(renewed.tokens!.accessToken) !== rotation.activeKid && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      renewed = await client.refresh({ refreshToken: renewed.tokens!.refreshToken });
    }
    expect(kidOf(renewed.tokens!.accessToken)).toBe(rotation.activeKid);
    await expect(client.validateToken({ accessToken: renewed.tokens!.accessToken })).resolves.toMatchObject({ subject: user!.id });
    expect(rotation.previousKeysRetireTime!.getTime()).toBeGreaterThan(Date.now() + 900_000);
  });

  it('throttles failed logins per account and reports retryAfterS', async () => {
    const address = email();
    await client.register({ email: address, password, fullName: 'Chi', role: common.Role.ROLE_PASSENGER });
    for (let i = 0; i < 5; i++) {
      await expect(client.login({ email: address, password: 'wrong-Password-9' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    const limited = await client.login({ email: address, password }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: expect.any(Number) } });
    expect((limited as { details: { retryAfterS: number } }).details.retryAfterS).toBeGreaterThan(800);
    await expect(client.login({ email: `nobody-${randomUUID()}@example.com`, password })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('lets at most 5 of 12 parallel wrong passwords for one account be checked; the rest are RATE_LIMITED', async () => {
    const address = email();
    await client.register({ email: address, password, fullName: 'Đức', role: common.Role.ROLE_PASSENGER });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        client.login({ email: address, password: 'wrong-Password-9' }).then(
          () => 'OK',
          (err: { code?: string }) => err.code,
        ),
      ),
    );
    expect(outcomes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(7);
    await expect(client.login({ email: address, password })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('answers AuthorizeRequest with a decision, not an error', async () => {
    const subject = randomUUID();
    await expect(client.authorizeRequest({ subject, role: common.Role.ROLE_PASSENGER, permission: 'trips:create', allowedRoles: [] })).resolves.toMatchObject({
      allowed: true,
    });
    await expect(
      client.authorizeRequest({ subject, role: common.Role.ROLE_DRIVER, permission: 'trips:create', allowedRoles: [common.Role.ROLE_PASSENGER] }),
    ).resolves.toMatchObject({ allowed: false, denialReason: auth.DenialReason.DENIAL_REASON_ROLE_NOT_ALLOWED });
    await expect(client.authorizeRequest({ subject: '', role: common.Role.ROLE_UNSPECIFIED, permission: '', allowedRoles: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('rejects forged and malformed access tokens', async () => {
    await expect(client.validateToken({ accessToken: 'not.a.jwt' })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(client.getMe({})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(client.getMe({}, asCaller({ userId: randomUUID(), role: 'passenger' }))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('stores emails uniquely whatever their case, even when the pre-check is skipped', async () => {
    const users = new DrizzleUserRepository(service.runtime.database.db, () => undefined);
    const row = { passwordHash: 'x', role: 'passenger' as const, fullName: 'Dup', phone: null, createdAt: new Date() };
    const address = email().toLowerCase();
    await users.create({ ...row, id: randomUUID(), email: address }, []);
    await expect(users.create({ ...row, id: randomUUID(), email: address.toUpperCase() }, [])).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(users.findByEmail(address.toUpperCase())).resolves.toMatchObject({ email: address });
  });

  it('keeps one chain of signing windows when replicas race to create or rotate', async () => {
    const cipher = new AesGcmKeyCipher(SUITE_KEY_SECRET);
    const keys = new DrizzleSigningKeyStore(service.runtime.database.db, cipher);
    const tokens = new JoseAccessTokens(keys, systemClock);
    const now = new Date();
    const candidates = await Promise.all([tokens.generateKeyPair(now), tokens.generateKeyPair(now)]);
    const winners = await Promise.all(candidates.map((candidate) => keys.activateIfNone(candidate, now)));
    expect(winners[0]!.kid).toBe(winners[1]!.kid);

    const signingBefore = (await keys.signingKeyAt(new Date()))!;
    const activateAt = new Date(Date.now() + 60_000);
    const next = await Promise.all([tokens.generateKeyPair(now), tokens.generateKeyPair(now)]);
    const activations = await Promise.all(next.map((key) => keys.rotate(key, activateAt)));
    expect(activations).toEqual([activateAt, activateAt]);
    const published = await keys.publicKeys(new Date(0));
    expect(published.filter((k) => k.retiredAt === null)).toHaveLength(1);
    expect(published.map((k) => k.kid)).toEqual(expect.arrayContaining(next.map((k) => k.kid)));
    // Both new keys are pending: the key that signed before still signs, and the newest takes over on time.
    expect((await keys.signingKeyAt(new Date()))!.kid).toBe(signingBefore.kid);
    const newest = published.find((k) => k.retiredAt === null)!;
    expect((await keys.signingKeyAt(activateAt))!.kid).toBe(newest.kid);
  });
}
