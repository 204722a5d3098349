import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, importJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { accessClaims, RETIRED_KEY_RETENTION_S, type AccessClaims } from '../domain/tokenClaims.js';
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
    const active = await keys.active();
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
    const active = (await keys.active())!;
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
    const active = (await keys.active())!;
    const token = await new SignJWT({ role: claims.role, sid: claims.sid, iss: 'uitgo-auth', aud: 'uitgo-api', ...override })
      .setProtectedHeader({ alg: 'EdDSA', kid: active.kid })
      .setSubject(claims.sub)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await importJWK(active.privateJwk, 'EdDSA'));
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('keeps tokens of a rotated key valid until they expire, then drops the key from JWKS', async () => {
    const before = await tokens.sign(claims);
    const oldKid = header(before).kid;
    const rotation = await rotateSigningKey({ keys, accessTokens: tokens, clock }, admin);
    expect(rotation.activeKid).not.toBe(oldKid);

    const after = await tokens.sign(claims);
    expect(header(after).kid).toBe(rotation.activeKid);
    await expect(tokens.verify(before)).resolves.toEqual(claims);
    await expect(tokens.verify(after)).resolves.toEqual(claims);
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid, oldKid]);

    clock.advance(RETIRED_KEY_RETENTION_S + 1);
    expect((await getJwks({ keys, clock })).map((k) => k.kid)).toEqual([rotation.activeKid]);
    const fresh = accessClaims({ userId: claims.sub, role: claims.role, sessionId: claims.sid, issuedAt: clock.now(), ttlS: 900 });
    await expect(tokens.verify(await tokens.sign(fresh))).resolves.toEqual(fresh);
  });

  it('only admins rotate keys', async () => {
    const deps = { keys, accessTokens: tokens, clock };
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
