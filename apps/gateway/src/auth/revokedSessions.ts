import type { KeyValueStore } from '@uitgo/kit/kv';

/**
 * Sessions ended by logout or by refresh-token reuse. Kept for the longest access-token
 * lifetime: after that every token of the session has expired anyway. In the shared store,
 * so every gateway replica refuses the session at once.
 */
export class RevokedSessions {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
  ) {}

  async revoke(sessionId: string): Promise<void> {
    await this.kv.set(keyOf(sessionId), '1', { ttlMs: this.ttlMs });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.kv.get(keyOf(sessionId))) !== null;
  }
}

const keyOf = (sessionId: string) => `gw:revoked-session:${sessionId}`;
