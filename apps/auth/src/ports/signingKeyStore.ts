import type { RequestContext } from '@uitgo/kit';
import type { JWK } from 'jose';

/** An Ed25519 key pair in JWK form; the store keeps the private half encrypted. */
export interface SigningKeyPair {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
}

export interface PublicSigningKey {
  kid: string;
  publicJwk: JWK;
  activatedAt: Date;
  retiredAt: Date | null;
}

export interface SigningKeyStore {
  /** The key that signs new tokens, if any. */
  active(): Promise<SigningKeyPair | undefined>;
  /**
   * Makes `candidate` the active key unless a key is active already (replicas may race on
   * start); returns whichever key is active afterwards.
   */
  activateIfNone(candidate: SigningKeyPair, now: Date): Promise<SigningKeyPair>;
  /** Retires the active key (if any) and activates `next`, in one step. */
  rotate(next: SigningKeyPair, now: Date, context?: RequestContext): Promise<void>;
  /** The active key and the keys retired after `retiredAfter`, newest first. */
  publicKeys(retiredAfter: Date, context?: RequestContext): Promise<PublicSigningKey[]>;
}
