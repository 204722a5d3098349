import type { AccessTokens } from '../ports/accessTokens.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyStore } from '../ports/signingKeyStore.js';

/** On start: make sure a key signs. Replicas starting together agree on one. */
export async function ensureSigningKey(deps: { keys: SigningKeyStore; accessTokens: AccessTokens; clock: Clock }): Promise<string> {
  const now = deps.clock.now();
  const signing = await deps.keys.signingKeyAt(now);
  if (signing) return signing.kid;
  return (await deps.keys.activateIfNone(await deps.accessTokens.generateKeyPair(now), now)).kid;
}
