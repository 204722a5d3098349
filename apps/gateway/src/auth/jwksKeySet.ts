import type { Logger } from '@uitgo/kit';
import { importJWK, type CryptoKey } from 'jose';

/** A public signing key as GetJwks returns it and `/.well-known/jwks.json` publishes it. */
export interface PublicJwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  y?: string;
  alg: string;
  use: string;
}

export interface JwksKeySetOptions {
  /**
   * Periodic refresh, so keys added or retired by a rotation are picked up without restarts.
   * The auth service publishes a new key AUTH_SIGNING_KEY_PUBLISH_DELAY_MS before it signs with
   * it; keep this (and the refetch limit) below that delay, so the key is here before its first token.
   */
  refreshIntervalMs: number;
  /** A token with an unknown `kid` refetches at most this often. */
  minRefetchIntervalMs: number;
  logger: Logger;
  clock?: () => number;
}

/**
 * The auth service's verification keys, fetched over gRPC and kept in memory. Only EdDSA keys
 * are imported: the gateway accepts no other algorithm, so another key could only be misused.
 */
export class JwksKeySet {
  private keys = new Map<string, CryptoKey>();
  private published: PublicJwk[] = [];
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly fetchJwks: () => Promise<PublicJwk[]>,
    private readonly options: JwksKeySetOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Starts the periodic refresh; the first fetch happens at once but may fail while auth starts. */
  start(): void {
    this.refresh().catch((err: unknown) => this.options.logger.warn({ err }, 'JWKS fetch failed; retrying on demand'));
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.options.logger.warn({ err }, 'periodic JWKS refresh failed'));
    }, this.options.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Called after the set of key ids changed, e.g. to drop cached verifications. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The key for `kid`; an unknown kid triggers one (rate-limited) refetch. */
  async keyFor(kid: string): Promise<CryptoKey | undefined> {
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.inflight) await this.inflight;
    else if (this.clock() - this.lastFetchAt >= this.options.minRefetchIntervalMs) await this.refresh();
    return this.keys.get(kid);
  }

  /** The published key set; fetched first if it never was. */
  async publicKeys(): Promise<PublicJwk[]> {
    if (this.lastFetchAt === Number.NEGATIVE_INFINITY || this.published.length === 0) await this.refresh();
    return this.published;
  }

  /** Fetches the key set; concurrent callers share one fetch. */
  refresh(): Promise<void> {
    this.inflight ??= this.fetchAndImport().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchAndImport(): Promise<void> {
    const jwks = await this.fetchJwks();
    // Only a fetch that answered counts against the refetch limit: while the auth service is
    // still starting, the next unknown kid must try again rather than fail for the whole window.
    this.lastFetchAt = this.clock();
    const keys = new Map<string, CryptoKey>();
    const published: PublicJwk[] = [];
    for (const jwk of jwks) {
      if (jwk.alg !== 'EdDSA' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.kid) continue;
      try {
        keys.set(jwk.kid, (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey);
        published.push(jwk);
      } catch (err) {
        this.options.logger.warn({ err, kid: jwk.kid }, 'skipping a JWKS key that does not import');
      }
    }
    const changed = keys.size !== this.keys.size || [...keys.keys()].some((kid) => !this.keys.has(kid));
    this.keys = keys;
    this.published = published;
    if (changed) for (const listener of this.listeners) listener();
  }
}
