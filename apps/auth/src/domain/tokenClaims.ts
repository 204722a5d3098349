import type { Role } from '@uitgo/contracts';

export const TOKEN_ISSUER = 'uitgo-auth';
export const TOKEN_AUDIENCE = 'uitgo-api';
export const TOKEN_ALGORITHM = 'EdDSA';
/** Access tokens never live longer than this, whatever the configuration says. */
export const MAX_ACCESS_TOKEN_TTL_S = 900;

/**
 * What an access token says about its bearer. Times are epoch seconds. `email` and `name`
 * (OIDC's names) let the gateway answer "who am I" without a call to this service; they are
 * what the account said when the token was issued, at most one token lifetime ago.
 */
export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
  iat: number;
  exp: number;
  email?: string;
  name?: string;
}

export function accessClaims(input: {
  userId: string;
  role: Role;
  sessionId: string;
  issuedAt: Date;
  ttlS: number;
  email?: string;
  fullName?: string;
}): AccessClaims {
  if (input.ttlS <= 0 || input.ttlS > MAX_ACCESS_TOKEN_TTL_S) {
    throw new RangeError(`access token lifetime must be 1..${MAX_ACCESS_TOKEN_TTL_S} s, got ${input.ttlS}`);
  }
  const iat = Math.floor(input.issuedAt.getTime() / 1000);
  const claims: AccessClaims = { sub: input.userId, role: input.role, sid: input.sessionId, iat, exp: iat + input.ttlS };
  if (input.email) claims.email = input.email;
  if (input.fullName) claims.name = input.fullName;
  return claims;
}

const ROLES: readonly string[] = ['passenger', 'driver', 'admin'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the shape of a verified payload; undefined when a claim is missing or malformed. */
export function readAccessClaims(payload: Record<string, unknown>): AccessClaims | undefined {
  const { sub, role, sid, iat, exp, email, name } = payload;
  if (typeof sub !== 'string' || !UUID.test(sub)) return undefined;
  if (typeof sid !== 'string' || !UUID.test(sid)) return undefined;
  if (typeof role !== 'string' || !ROLES.includes(role)) return undefined;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat || exp - iat > MAX_ACCESS_TOKEN_TTL_S) return undefined;
  const claims: AccessClaims = { sub, role: role as Role, sid, iat, exp };
  if (typeof email === 'string') claims.email = email;
  if (typeof name === 'string') claims.name = name;
  return claims;
}

/** How long a key that signed tokens stays in JWKS once caches may already have stopped using it. */
export const SIGNING_KEY_CACHE_S = 30;
/**
 * A retired key stays published for the longest token lifetime plus the time a replica may
 * keep signing with its cached copy plus clock skew, so no token it signed outlives its key.
 */
export const RETIRED_KEY_RETENTION_S = MAX_ACCESS_TOKEN_TTL_S + SIGNING_KEY_CACHE_S + 90;
