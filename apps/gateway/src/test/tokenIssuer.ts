import { randomUUID } from 'node:crypto';
import type { Role } from '@uitgo/contracts';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { PublicJwk } from '../auth/jwksKeySet.js';

export interface IssueOptions {
  expiresInS?: number;
  issuer?: string;
  audience?: string;
  kid?: string;
  /** Current time in epoch ms. */
  now?: number;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  published: boolean;
}

/** Signs access tokens the way the auth service does (EdDSA, kid, sub/role/sid), with keys a test can rotate. */
export class TokenIssuer {
  private readonly keys: SigningKey[] = [];

  static async create(): Promise<TokenIssuer> {
    const issuer = new TokenIssuer();
    await issuer.rotate();
    return issuer;
  }

  /** Adds a new active key; `publish: false` signs with it before the JWKS lists it. */
  async rotate({ publish = true } = {}): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = `k-${randomUUID().slice(0, 8)}`;
    this.keys.push({ kid, privateKey, jwk: await exportJWK(publicKey), published: publish });
    return kid;
  }

  publish(kid: string): void {
    const key = this.keys.find((k) => k.kid === kid);
    if (key) key.published = true;
  }

  get activeKid(): string {
    return this.keys.at(-1)!.kid;
  }

  jwks(): PublicJwk[] {
    return this.keys
      .filter((k) => k.published)
      .map((k) => ({ kid: k.kid, kty: 'OKP', crv: 'Ed25519', x: k.jwk.x!, y: '', alg: 'EdDSA', use: 'sig' }));
  }

  async sign(claims: { sub: string; role: Role; sid: string }, options: IssueOptions = {}): Promise<string> {
    const key = options.kid ? this.keys.find((k) => k.kid === options.kid)! : this.keys.at(-1)!;
    const nowS = Math.floor((options.now ?? Date.now()) / 1000);
    return new SignJWT({ role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(options.issuer ?? 'uitgo-auth')
      .setAudience(options.audience ?? 'uitgo-api')
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + (options.expiresInS ?? 900))
      .sign(key.privateKey);
  }
}
