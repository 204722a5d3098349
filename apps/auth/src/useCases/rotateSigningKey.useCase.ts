import type { Caller, RequestContext } from '@uitgo/kit';
import { Forbidden, Unauthenticated } from '../domain/errors.js';
import { RETIRED_KEY_RETENTION_S } from '../domain/tokenClaims.js';
import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyStore } from '../ports/signingKeyStore.js';

export interface RotateSigningKeyDeps {
  keys: SigningKeyStore;
  accessTokens: AccessTokens;
  clock: Clock;
  /** How long a new key is published before it signs; longer than any verifier's JWKS cache. */
  signingKeyPublishDelayMs: number;
}

export interface RotationResult {
  /** The new key: in JWKS at once, signing from `activatesAt`. */
  activeKid: string;
  activatesAt: Date;
  /** When the replaced key leaves JWKS; every token it signed has expired by then. */
  previousKeysRetireAt: Date;
}

/**
 * Two-phase rotation: the new key is published in JWKS now and takes over signing only after
 * the publish delay, so every gateway has fetched it before the first token it signs arrives.
 * The replaced key keeps signing until then and stays in JWKS until its last token has
 * expired, so nobody is signed out. Admins only.
 */
export async function rotateSigningKey(deps: RotateSigningKeyDeps, caller: Caller | undefined, ctx?: RequestContext): Promise<RotationResult> {
  if (!caller) throw new Unauthenticated();
  if (caller.role !== 'admin') throw new Forbidden('Only admins rotate signing keys');
  const now = deps.clock.now();
  const next = await deps.accessTokens.generateKeyPair(now);
  const activatesAt = await deps.keys.rotate(next, new Date(now.getTime() + deps.signingKeyPublishDelayMs), ctx);
  deps.accessTokens.forgetCachedKeys();
  return {
    activeKid: next.kid,
    activatesAt,
    previousKeysRetireAt: new Date(activatesAt.getTime() + RETIRED_KEY_RETENTION_S * 1000),
  };
}
