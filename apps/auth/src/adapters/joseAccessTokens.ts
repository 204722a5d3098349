import { AppError } from '@uitgo/kit';
import {
  SignJWT,
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWSHeaderParameters,
} from 'jose';
import { TokenExpired, TokenInvalid } from '../domain/errors.js';
import {
  RETIRED_KEY_RETENTION_S,
  SIGNING_KEY_CACHE_S,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  readAccessClaims,
  type AccessClaims,
} from '../domain/tokenClaims.js';
import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyPair, SigningKeyStore } from '../ports/signingKeyStore.js';

/** A token naming an unknown kid reloads the keys, but at most this often (so junk kids cannot hammer the store). */
const UNKNOWN_KID_RELOAD_MS = 2_000;

async function importKey(jwk: SigningKeyPair['privateJwk']): Promise<CryptoKey> {
  const key = await importJWK(jwk, TOKEN_ALGORITHM);
  if (key instanceof Uint8Array) throw new Error('expected an asymmetric key');
  return key;
}

/**
 * EdDSA (Ed25519) access tokens with jose. Keys come from the SigningKeyStore and are cached
 * for SIGNING_KEY_CACHE_S, so a rotation on another replica reaches this one within that time
 * (the default publish delay is far longer); the signing key is swapped when its window ends.
 * Verification accepts only EdDSA with a known `kid`, issuer `uitgo-auth`, audience `uitgo-api`.
 */
export class JoseAccessTokens implements AccessTokens {
  private signing: { kid: string; key: CryptoKey; validUntil: number } | undefined;
  private verifying = new Map<string, CryptoKey>();
  private verifyingLoadedAt = Number.NEGATIVE_INFINITY;
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly keys: SigningKeyStore,
    private readonly clock: Clock,
  ) {}

  async sign(claims: AccessClaims): Promise<string> {
    const { kid, key } = await this.signingKey();
    const extra = { ...(claims.email ? { email: claims.email } : {}), ...(claims.name ? { name: claims.name } : {}) };
    return new SignJWT({ role: claims.role, sid: claims.sid, ...extra })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(key);
  }

  async verify(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.verificationKey(header), {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'sid', 'role', 'iat', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new TokenExpired();
      if (err instanceof AppError) throw err;
      throw new TokenInvalid();
    }
    const claims = readAccessClaims(payload);
    if (!claims) throw new TokenInvalid('The token lacks required claims');
    return claims;
  }

  async generateKeyPair(now: Date): Promise<SigningKeyPair> {
    const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const meta = { kid, alg: TOKEN_ALGORITHM, use: 'sig' };
    return { kid, publicJwk: { ...publicJwk, ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta }, createdAt: now };
  }

  /** Drops cached keys, e.g. after this process rotated them. */
  forgetCachedKeys(): void {
    this.signing = undefined;
    this.verifyingLoadedAt = Number.NEGATIVE_INFINITY;
  }

  private async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    const now = this.clock.now().getTime();
    if (this.signing && now < this.signing.validUntil) return this.signing;
    const current = await this.keys.signingKeyAt(new Date(now));
    if (!current) throw new Error('no signing key (the service creates one on start)');
    const key = this.signing?.kid === current.kid ? this.signing.key : await importKey(current.privateJwk);
    // A scheduled rotation takes effect on time: the cache never outlives the key's window.
    const validUntil = Math.min(now + SIGNING_KEY_CACHE_S * 1000, current.retiredAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.signing = { kid: current.kid, key, validUntil };
    return this.signing;
  }

  private async verificationKey(header: JWSHeaderParameters): Promise<CryptoKey> {
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') throw new TokenInvalid('The token names no key');
    const age = this.clock.now().getTime() - this.verifyingLoadedAt;
    if (age > SIGNING_KEY_CACHE_S * 1000 || (!this.verifying.has(kid) && age > UNKNOWN_KID_RELOAD_MS)) await this.reloadVerificationKeys();
    const key = this.verifying.get(kid);
    if (!key) throw new TokenInvalid('The token was signed by an unknown key');
    return key;
  }

  private reloadVerificationKeys(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const retiredAfter = new Date(this.clock.now().getTime() - RETIRED_KEY_RETENTION_S * 1000);
        const published = await this.keys.publicKeys(retiredAfter);
        const next = new Map<string, CryptoKey>();
        for (const { kid, publicJwk } of published) next.set(kid, this.verifying.get(kid) ?? (await importKey(publicJwk)));
        this.verifying = next;
        this.verifyingLoadedAt = this.clock.now().getTime();
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }
}
