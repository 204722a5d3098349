import type { RequestContext } from '@uitgo/kit';
import type { JWK } from 'jose';

/** An Ed25519 key pair in JWK form; the store keeps the private half encrypted. */
export interface SigningKeyPair {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
}

/** A stored key pair with its signing window: it signs from `activatedAt` until `retiredAt` (null: until a rotation). */
export interface ScheduledSigningKey extends SigningKeyPair {
  activatedAt: Date;
  retiredAt: Date | null;
}

export interface PublicSigningKey {
  kid: string;
  publicJwk: JWK;
  activatedAt: Date;
  retiredAt: Date | null;
}

/**
 * Signing keys and their windows. Each rotation retires the newest key at the moment its
 * successor activates, so the windows follow one another without gap or overlap and the key
 * that signs at a given time follows from the stored rows alone, the same on every replica.
 * The newest key may be pending (activating in the future): it is published, not yet signing.
 */
export interface SigningKeyStore {
  /** The key that signs tokens issued at `now`: the oldest key not retired by then. */
  signingKeyAt(now: Date): Promise<ScheduledSigningKey | undefined>;
  /**
   * Stores `candidate`, active from `now`, unless a key exists already (replicas may race on
   * start); returns whichever key signs at `now` afterwards.
   */
  activateIfNone(candidate: SigningKeyPair, now: Date): Promise<ScheduledSigningKey>;
  /**
   * Schedules `next` to take over signing at `activateAt` (or when the newest key activates, if
   * that is later), retiring the newest key at that moment, in one step. Returns when `next` activates.
   */
  rotate(next: SigningKeyPair, activateAt: Date, context?: RequestContext): Promise<Date>;
  /** Pending, signing and recently retired keys (retired after `retiredAfter`), newest first. */
  publicKeys(retiredAfter: Date, context?: RequestContext): Promise<PublicSigningKey[]>;
}
