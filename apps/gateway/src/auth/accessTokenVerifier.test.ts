import { createLogger } from '@uitgo/kit';
import { SignJWT, generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { TokenIssuer } from '../test/tokenIssuer.js';
import { AccessTokenVerifier } from './accessTokenVerifier.js';
import { JwksKeySet } from './jwksKeySet.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const claims = { sub: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51', role: 'passenger', sid: 'session-1' } as const;

describe('access token verification', () => {
  let issuer: TokenIssuer;
  let fetches: number;
  let now: number;
  let verifier: AccessTokenVerifier;

  beforeEach(async () => {
    issuer = await TokenIssuer.create();
    fetches = 0;
    now = Date.now();
    const keys = new JwksKeySet(
      async () => {
        fetches++;
        return issuer.jwks();
      },
      { refreshIntervalMs: 60_000, minRefetchIntervalMs: 10_000, logger, clock: () => now },
    );
    verifier = new AccessTokenVerifier(keys, { issuer: 'uitgo-auth', audience: 'uitgo-api', maxTtlS: 900, clock: () => now });
  });

  const code = (promise: Promise<unknown>) => promise.then(() => 'accepted', (err: { code?: string }) => err.code ?? String(err));

  it('accepts a token signed by a published key and returns its caller', async () => {
    const token = await issuer.sign(claims, { now });
    expect(await verifier.verify(token)).toEqual({
      userId: claims.sub,
      role: 'passenger',
      sessionId: 'session-1',
      expiresAtMs: (Math.floor(now / 1000) + 900) * 1000,
    });
    expect(fetches).toBe(1);
  });

  it('refuses an expired token, also once it was cached while valid', async () => {
    expect(await code(verifier.verify(await issuer.sign(claims, { now: now - 901_000 })))).toBe('TOKEN_EXPIRED');
    const token = await issuer.sign(claims, { now, expiresInS: 60 });
    expect(await code(verifier.verify(token))).toBe('accepted');
    now += 61_000;
    expect(await code(verifier.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token whose payload was tampered with', async () => {
    const [header, payload, signature] = (await issuer.sign(claims, { now })).split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await code(verifier.verify(`${header}.${forged}.${signature}`))).toBe('TOKEN_INVALID');
  });

  it('refuses other algorithms (HS256 with the public key as secret, none) without fetching keys', async () => {
    const jwk = issuer.jwks()[0]!;
    const hs = await new SignJWT({ role: 'admin', sid: 's' })
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
      .setSubject(claims.sub).setIssuer('uitgo-auth').setAudience('uitgo-api').setExpirationTime('5m')
      .sign(new TextEncoder().encode(jwk.x));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: jwk.kid })).toString('base64url')}.${hs.split('.')[1]}.`;
    expect(await code(verifier.verify(hs))).toBe('TOKEN_INVALID');
    expect(await code(verifier.verify(none))).toBe('TOKEN_INVALID');
    expect(fetches).toBe(0);
  });

  it('refuses another issuer, another audience, a missing session id or a lifetime past the maximum', async () => {
    expect(await code(verifier.verify(await issuer.sign(claims, { now, issuer: 'someone-else' })))).toBe('TOKEN_INVALID');
    expect(await code(verifier.verify(await issuer.sign(claims, { now, audience: 'other-api' })))).toBe('TOKEN_INVALID');
    expect(await code(verifier.verify(await issuer.sign({ ...claims, sid: '' }, { now })))).toBe('TOKEN_INVALID');
    expect(await code(verifier.verify(await issuer.sign(claims, { now, expiresInS: 24 * 3600 })))).toBe('TOKEN_INVALID');
  });

  it('refuses a key it never saw: an EdDSA token signed by a stranger', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const stranger = await new SignJWT({ role: 'admin', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.activeKid })
      .setSubject(claims.sub).setIssuer('uitgo-auth').setAudience('uitgo-api').setExpirationTime('5m')
      .sign(privateKey);
    expect(await code(verifier.verify(stranger))).toBe('TOKEN_INVALID');
  });

  it('an unknown kid triggers one refetch, so a rotated key works without a restart; forged kids are rate-limited', async () => {
    await verifier.verify(await issuer.sign(claims, { now }));
    expect(fetches).toBe(1);
    now += 10_001;
    const rotated = await issuer.rotate();
    const fresh = await issuer.sign(claims, { now, kid: rotated });
    expect(await Promise.all([verifier.verify(fresh), verifier.verify(fresh)])).toHaveLength(2);
    expect(fetches).toBe(2);

    const hidden = await issuer.rotate({ publish: false });
    const early = await issuer.sign(claims, { now, kid: hidden });
    expect(await code(verifier.verify(early))).toBe('TOKEN_INVALID');
    expect(await code(verifier.verify(early))).toBe('TOKEN_INVALID');
    expect(fetches).toBe(2);
    now += 10_001;
    issuer.publish(hidden);
    expect(await code(verifier.verify(early))).toBe('accepted');
    expect(fetches).toBe(3);
  });

  it('keeps accepting tokens across a two-phase rotation when the key set was cached just before it', async () => {
    const oldKid = issuer.activeKid;
    await verifier.verify(await issuer.sign(claims, { now }));
    expect(fetches).toBe(1);
    // The auth service publishes the next key at once and signs with it only after its publish
    // delay (in production minutes; here 2 x the 10 s refetch limit).
    now += 1_000;
    const nextKid = await issuer.rotate();
    expect(await code(verifier.verify(await issuer.sign(claims, { now, kid: oldKid })))).toBe('accepted');
    now += 20_000;
    expect(await code(verifier.verify(await issuer.sign(claims, { now, kid: nextKid })))).toBe('accepted');
    expect(await code(verifier.verify(await issuer.sign(claims, { now: now - 15_000, kid: oldKid })))).toBe('accepted');
    expect(fetches).toBe(2);
  });

  it('would refuse a key that signs as soon as it is published, while the refetch limit holds (why rotation has two phases)', async () => {
    await verifier.verify(await issuer.sign(claims, { now }));
    now += 1_000;
    const nextKid = await issuer.rotate();
    expect(await code(verifier.verify(await issuer.sign(claims, { now, kid: nextKid })))).toBe('TOKEN_INVALID');
    expect(fetches).toBe(1);
  });
});
