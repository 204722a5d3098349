import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, importJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { accessClaims, RETIRED_KEY_RETENTION_S, SIGNING_KEY_CACHE_S, type AccessClaims } from '../domain/tokenClaims.js';
import { MemorySigningKeyStore, TestClock } from '../test/memoryPorts.js';
import { rotateSigningKey } from '../useCases/rotateSigningKey.useCase.js';
import { getJwks } from '../useCases/getJwks.useCase.js';
import { JoseAccessTokens } from './joseAccessTokens.js';

const admin = { userId: randomUUID(), role: 'admin' as const };

describe('JoseAccessTokens', () => {
  let clock: TestClock;
  let keys: MemorySigningKeyStore;
  let tokens: JoseAccessTokens;
  let claims: AccessClaims;

  beforeEach(async () => {
    clock = new TestClock();
    keys = new MemorySigningKeyStore();
    tokens = new JoseAccessTokens(keys, clock);
    await keys.activateIfNone(await tokens.generateKeyPair(clock.now()), clock.now());
    claims = accessClaims({ userId: randomUUID(), role: 'passenger', sessionId: randomUUID(), issuedAt: clock.now(), ttlS: 900 });
  });

  const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
  const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const encode = (value: object) => base64url.encode(JSON.stringify(value));

  it('signs EdDSA tokens with kid, iss, aud, sub, role, sid and verifies them', async () => {
    const token = await tokens.sign(claims);
    const active = await keys.signingKeyAt(clock.now());
    expect(header(token)).toEqual({ alg: 'EdDSA', kid: active!.kid, typ: 'JWT' });
    expect(payloadOf(token)).toEqual({ ...claims, iss: 'uitgo-auth', aud: 'uitgo-api' });
    await expect(tokens.verify(token)).resolves.toEqual(claims);
  });

  it('rejects an expired token as TOKEN_EXPIRED', async () => {
    const token = await tokens.sign(claims);
    clock.advance(901);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await tokens.sign(claims)).split('.');
    const forged = `${h}.${encode({ ...claims, role: 'admin', iss: 'uitgo-auth', aud: 'uitgo-api' })}.${s}`;
    await expect(tokens.verify(forged)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('rejects alg none', async () => {
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, iss: 'uitgo-auth', aud: 'uitgo-api' })}.`;
    await expect(tokens.verify(unsigned)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('rejects HS256 signed with the public key as the HMAC secret', async () => {
    const active = (await keys.signingKeyAt(clock.now()))!;
    const secret = new TextEncoder().encode(JSON.stringify(active.publicJwk));
    const rawX = Buffer.from(String(active.publicJwk.x), 'base64url');
    for (const key of [secret, rawX]) {
      const forged = await new SignJWT({ role: 'admin', sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', kid: active.kid })
        .setSubject(claims.sub)
        .setIssuer('uitgo-auth')
        .setAudience('uitgo-api')
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .sign(key);
      await expect(tokens.verify(forged)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
  });

  it('rejects a token signed by a key it does not know', async () => {
    const stranger = new JoseAccessTokens(new MemorySigningKeyStore(), clock);
    const foreign = await stranger.generateKeyPair(clock.now());
    const token = await new SignJWT({ role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: 'EdDSA', kid: foreign.kid })
      .setSubject(claims.sub)
      .setIssuer('uitgo-auth')
      .setAudience('uitgo-api')
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await importJWK(foreign.privateJwk, 'EdDSA'));
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID', message: expect.stringContaining('unknown key') });
  });

  it.each([
    ['audience', { aud: 'someone-else' }],
    ['issuer', { iss: 'evil-issuer' }],
  ])('rejects a wrong %s', async (_name, override) => {
    const active = (await keys.signingKeyAt(clock.now()))!;
    const token = await new SignJWT({ role: claims.role, sid: claims.sid, iss: 'uitgo-auth', aud: 'uitgo-api', ...override })
      .setProtectedHeader({ alg: 'EdDSA', kid: active.kid })
      .setSubject(claims.sub)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await importJWK(active.privateJwk, 'EdDSA'));
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  const publishDelayMs = 60_000;
  const rotationDeps = () => ({ keys, accessTokens: tokens, clock, signingKeyPublishDelayMs: publishDelayMs });
  const tokenAt = () => accessClaims({ userId: claims.sub, role: claims.role, sessionId: claims.sid, issuedAt: clock.now(), ttlS: 900 });

  it('publishes a rotated-in key at once but signs with it only once the publish delay has passed', async () => {
    const oldKid = (await keys.signingKeyAt(clock.now()))!.kid;
    const rotation = await rotateSigningKey(rotationDeps(), admin);
    expect(rotation.activeKid).not.toBe(oldKid);
    expect(rotation.activatesAt).toEqual(new Date(clock.now().getTime() + publishDelayMs));
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid, oldKid]);

    expect(header(await tokens.sign(tokenAt())).kid).toBe(oldKid);
    clock.advance(publishDelayMs / 1000 - 1);
    expect(header(await tokens.sign(tokenAt())).kid).toBe(oldKid);
    clock.advance(1);
    const fresh = tokenAt();
    const signed = await tokens.sign(fresh);
    expect(header(signed).kid).toBe(rotation.activeKid);
    await expect(tokens.verify(signed)).resolves.toEqual(fresh);
  });

  it('takes the signing key from the stored schedule, so every replica switches at the same moment', async () => {
    const oldKid = (await keys.signingKeyAt(clock.now()))!.kid;
    const otherReplica = new JoseAccessTokens(keys, clock);
    expect(header(await otherReplica.sign(tokenAt())).kid).toBe(oldKid);
    const rotation = await rotateSigningKey(rotationDeps(), admin);
    // The other replica's cached key expires within SIGNING_KEY_CACHE_S; it then learns when the old key retires.
    clock.advance(SIGNING_KEY_CACHE_S);
    expect(header(await otherReplica.sign(tokenAt())).kid).toBe(oldKid);
    clock.advance(publishDelayMs / 1000 - SIGNING_KEY_CACHE_S);
    expect(header(await otherReplica.sign(tokenAt())).kid).toBe(rotation.activeKid);
    expect(header(await tokens.sign(tokenAt())).kid).toBe(rotation.activeKid);
  });

  it('keeps tokens of a rotated key valid until they expire, then drops the key from JWKS', async () => {
    const before = await tokens.sign(claims);
    const oldKid = header(before).kid;
    const rotation = await rotateSigningKey(rotationDeps(), admin);
    expect(rotation.previousKeysRetireAt).toEqual(new Date(rotation.activatesAt.getTime() + RETIRED_KEY_RETENTION_S * 1000));
    clock.advance(publishDelayMs / 1000);

    const after = await tokens.sign(tokenAt());
    expect(header(after).kid).toBe(rotation.activeKid);
    await expect(tokens.verify(before)).resolves.toEqual(claims);
    await expect(tokens.verify(after)).resolves.toBeDefined();
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid, oldKid]);

    clock.advance(RETIRED_KEY_RETENTION_S - 1);
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid, oldKid]);
    clock.advance(2);
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid]);
    const fresh = tokenAt();
    await expect(tokens.verify(await tokens.sign(fresh))).resolves.toEqual(fresh);
  });

  it('chains a rotation made while another is pending behind it', async () => {
    const oldKid = (await keys.signingKeyAt(clock.now()))!.kid;
    const first = await rotateSigningKey(rotationDeps(), admin);
    clock.advance(5);
    const second = await rotateSigningKey(rotationDeps(), admin);
    expect(second.activatesAt.getTime()).toBe(first.activatesAt.getTime() + 5_000);
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([second.activeKid, first.activeKid, oldKid]);
    expect(header(await tokens.sign(tokenAt())).kid).toBe(oldKid);
    clock.advance(publishDelayMs / 1000 - 5);
    expect(header(await tokens.sign(tokenAt())).kid).toBe(first.activeKid);
    clock.advance(5);
    expect(header(await tokens.sign(tokenAt())).kid).toBe(second.activeKid);
  });

  it('only admins rotate keys', async () => {
    const deps = rotationDeps();
    await expect(rotateSigningKey(deps, undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(rotateSigningKey(deps, { userId: randomUUID(), role: 'driver' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(keys.keys).toHaveLength(1);
  });

  it('publishes public keys only', async () => {
    const [jwk] = await getJwks({ keys, clock });
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
  });
});
