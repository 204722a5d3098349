import type { AccessClaims } from '../domain/tokenClaims.js';
import type { SigningKeyPair } from './signingKeyStore.js';

/** Signs and checks access tokens (JWTs). */
export interface AccessTokens {
  sign(claims: AccessClaims): Promise<string>;
  /** Checks signature, algorithm, key id, issuer, audience and expiry; throws TokenInvalid or TokenExpired. */
  verify(token: string): Promise<AccessClaims>;
  /** Makes a fresh key pair to sign with; storing and activating it is the caller's job. */
  generateKeyPair(now: Date): Promise<SigningKeyPair>;
  /** Drops cached keys so a rotation made here takes effect at once in this process. */
  forgetCachedKeys(): void;
}
