import type { Caller, RequestContext } from '@uitgo/kit';
import { Forbidden, Unauthenticated } from '../domain/errors.js';
import { RETIRED_KEY_RETENTION_S } from '../domain/tokenClaims.js';
import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyStore } from '../ports/signingKeyStore.js';

export interface RotationResult {
  activeKid: string;
  /** When the replaced key leaves JWKS; every token it signed has expired by then. */
  previousKeysRetireAt: Date;
}

/**
 * Makes a new signing key active. The replaced key stays in JWKS until its last token has
 * expired, so nobody is signed out. Admins only.
 */
export async function rotateSigningKey(
  deps: { keys: SigningKeyStore; accessTokens: AccessTokens; clock: Clock },
  caller: Caller | undefined,
  ctx?: RequestContext,
): Promise<RotationResult> {
  if (!caller) throw new Unauthenticated();
  if (caller.role !== 'admin') throw new Forbidden('Only admins rotate signing keys');
  const now = deps.clock.now();
  const next = await deps.accessTokens.generateKeyPair(now);
  await deps.keys.rotate(next, now, ctx);
  deps.accessTokens.forgetCachedKeys();
  return { activeKid: next.kid, previousKeysRetireAt: new Date(now.getTime() + RETIRED_KEY_RETENTION_S * 1000) };
}
