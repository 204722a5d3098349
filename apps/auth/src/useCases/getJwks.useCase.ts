import type { RequestContext } from '@uitgo/kit';
import type { JWK } from 'jose';
import { RETIRED_KEY_RETENTION_S } from '../domain/tokenClaims.js';
import type { Clock } from '../ports/clock.js';
import type { SigningKeyStore } from '../ports/signingKeyStore.js';

/** The public keys that may have signed a token still unexpired: the active one and recently retired ones. */
export async function getJwks(deps: { keys: SigningKeyStore; clock: Clock }, ctx?: RequestContext): Promise<(JWK & { kid: string })[]> {
  const retiredAfter = new Date(deps.clock.now().getTime() - RETIRED_KEY_RETENTION_S * 1000);
  const keys = await deps.keys.publicKeys(retiredAfter, ctx);
  return keys.map(({ kid, publicJwk }) => ({ ...publicJwk, kid }));
}
