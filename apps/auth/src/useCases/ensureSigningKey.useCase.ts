import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyStore } from '../ports/signingKeyStore.js';

/** On start: make sure a key is active. Replicas starting together agree on one. */
export async function ensureSigningKey(deps: { keys: SigningKeyStore; accessTokens: AccessTokens; clock: Clock }): Promise<string> {
  const active = await deps.keys.active();
  if (active) return active.kid;
  const now = deps.clock.now();
  return (await deps.keys.activateIfNone(await deps.accessTokens.generateKeyPair(now), now)).kid;
}
