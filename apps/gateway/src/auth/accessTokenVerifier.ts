import type { Role } from '@uitgo/contracts';
import { AppError } from '@uitgo/kit';
import { errors, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { JwksKeySet } from './jwksKeySet.js';

export interface VerifiedToken {
  userId: string;
  role: Role;
  sessionId: string;
  expiresAtMs: number;
  /** The account's email and name when the token was issued (absent from older tokens). */
  email?: string;
  fullName?: string;
}

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** The longest lifetime the auth service issues; revocations are kept this long. */
  maxTtlS: number;
  /** Verified tokens remembered, so a busy client costs one signature check per token. */
  cacheSize?: number;
  clock?: () => number;
}

const ROLES = new Set<string>(['passenger', 'driver', 'admin']);
/** Allowed difference between the auth service's clock and ours. */
const CLOCK_SKEW_S = 60;

const invalid = (message = 'The access token is not valid') => new AppError('TOKEN_INVALID', message);

/**
 * Verifies access tokens locally: EdDSA only, against the auth service's JWKS, with issuer,
 * audience and expiry. Whether the session still lives is the caller's second check.
 */
export class AccessTokenVerifier {
  private readonly cache = new Map<string, VerifiedToken>();
  private readonly clock: () => number;
  private readonly cacheSize: number;

  constructor(
    private readonly keys: JwksKeySet,
    private readonly options: AccessTokenVerifierOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.cacheSize = options.cacheSize ?? 10_000;
    // A retired or withdrawn key must stop validating tokens it signed.
    keys.onChange(() => this.cache.clear());
  }

  async verify(token: string): Promise<VerifiedToken> {
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.expiresAtMs > this.clock()) return cached;
      this.cache.delete(token);
      throw new AppError('TOKEN_EXPIRED', 'The access token has expired; refresh it');
    }
    const verified = await this.verifySignatureAndClaims(token);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, verified);
    return verified;
  }

  private async verifySignatureAndClaims(token: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: ['EdDSA'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(this.clock()),
      }));
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'The access token has expired; refresh it');
      if (err instanceof errors.JOSEError) throw invalid();
      throw err;
    }
    const { sub, role, sid, exp, email, name } = payload as { sub: string; role?: unknown; sid?: unknown; exp: number; email?: unknown; name?: unknown };
    if (typeof role !== 'string' || !ROLES.has(role) || typeof sid !== 'string' || sid === '') throw invalid();
    // A token outliving its revocation entry could come back after logout.
    if (exp - this.clock() / 1000 > this.options.maxTtlS + CLOCK_SKEW_S) throw invalid('The access token lives too long');
    const verified: VerifiedToken = { userId: sub, role: role as Role, sessionId: sid, expiresAtMs: exp * 1000 };
    if (typeof email === 'string') verified.email = email;
    if (typeof name === 'string') verified.fullName = name;
    return verified;
  }

  private async keyFor(header: JWTHeaderParameters) {
    if (typeof header.kid !== 'string' || header.kid === '') throw invalid('The access token names no key');
    const key = await this.keys.keyFor(header.kid);
    if (!key) throw invalid('The access token was signed by an unknown key');
    return key;
  }
}
