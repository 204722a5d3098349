import type { UitgoEvent } from '@uitgo/contracts';
import { createLogger } from '@uitgo/kit';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import { JoseAccessTokens } from '../adapters/joseAccessTokens.js';
import { KvLoginThrottle } from '../adapters/kvLoginThrottle.js';
import { ScryptPasswordHasher } from '../adapters/scryptPasswordHasher.js';
import { EmailTaken } from '../domain/errors.js';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottlePolicy } from '../domain/loginThrottlePolicy.js';
import type { Clock } from '../ports/clock.js';
import type { NewRefreshToken, RevocationReason, Session, SessionRepository, StoredRefreshToken } from '../ports/sessionRepository.js';
import type { PublicSigningKey, ScheduledSigningKey, SigningKeyPair, SigningKeyStore } from '../ports/signingKeyStore.js';
import type { UserProfiles } from '../ports/userProfiles.js';
import type { UserAccount, UserRepository } from '../ports/userRepository.js';
import { SessionTokens } from '../useCases/sessionTokens.js';

/** In-memory fakes of the auth ports, for unit tests only. Each method is atomic (no awaits inside). */

export class TestClock implements Clock {
  constructor(private current = new Date('2025-11-26T04:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export class MemoryUserRepository implements UserRepository {
  readonly rows = new Map<string, UserAccount>();
  readonly events: UitgoEvent[] = [];

  async findById(id: string) {
    return this.rows.get(id);
  }
  async findByEmail(email: string) {
    return [...this.rows.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
  }
  async create(user: UserAccount, events: readonly UitgoEvent[]) {
    if ([...this.rows.values()].some((u) => u.email.toLowerCase() === user.email.toLowerCase())) throw new EmailTaken();
    this.rows.set(user.id, { ...user });
    this.events.push(...events);
  }
  async updatePasswordHash(id: string, passwordHash: string) {
    const row = this.rows.get(id);
    if (row) row.passwordHash = passwordHash;
  }

  async updateContact(id: string, contact: { fullName: string; phone: string | null }) {
    const row = this.rows.get(id);
    if (row) Object.assign(row, contact);
  }
}

export class MemorySessionRepository implements SessionRepository {
  readonly sessions = new Map<string, Session>();
  readonly tokens = new Map<string, StoredRefreshToken>();

  async open(session: Pick<Session, 'id' | 'userId' | 'createdAt'>, refreshToken: NewRefreshToken) {
    this.sessions.set(session.id, { ...session, revokedAt: null, revokedReason: null });
    this.tokens.set(refreshToken.tokenHash, { ...refreshToken, sessionId: session.id, spentAt: null });
  }
  async find(sessionId: string) {
    const s = this.sessions.get(sessionId);
    return s && { ...s };
  }
  async rotateRefreshToken(tokenHash: string, next: NewRefreshToken, now: Date) {
    const token = this.tokens.get(tokenHash);
    const session = token && this.sessions.get(token.sessionId);
    if (!token || !session || token.spentAt || token.expiresAt <= now || session.revokedAt) return undefined;
    token.spentAt = now;
    this.tokens.set(next.tokenHash, { ...next, sessionId: token.sessionId, spentAt: null });
    return token.sessionId;
  }
  async findRefreshToken(tokenHash: string) {
    const t = this.tokens.get(tokenHash);
    return t && { ...t };
  }
  async revoke(sessionId: string, reason: RevocationReason, now: Date) {
    const s = this.sessions.get(sessionId);
    if (s && !s.revokedAt) Object.assign(s, { revokedAt: now, revokedReason: reason });
    return s && { ...s };
  }
}

export class MemorySigningKeyStore implements SigningKeyStore {
  readonly keys: ScheduledSigningKey[] = [];

  async signingKeyAt(now: Date) {
    return this.keys.find((k) => !k.retiredAt || k.retiredAt > now);
  }
  async activateIfNone(candidate: SigningKeyPair, now: Date) {
    if (!this.keys.some((k) => !k.retiredAt)) this.keys.push({ ...candidate, activatedAt: now, retiredAt: null });
    return (await this.signingKeyAt(now))!;
  }
  async rotate(next: SigningKeyPair, activateAt: Date) {
    const newest = this.keys.find((k) => !k.retiredAt);
    const at = newest && newest.activatedAt > activateAt ? newest.activatedAt : activateAt;
    if (newest) newest.retiredAt = at;
    this.keys.push({ ...next, activatedAt: at, retiredAt: null });
    return at;
  }
  async publicKeys(retiredAfter: Date): Promise<PublicSigningKey[]> {
    return this.keys
      .filter((k) => !k.retiredAt || k.retiredAt > retiredAfter)
      .reverse()
      .map(({ kid, publicJwk, activatedAt, retiredAt }) => ({ kid, publicJwk, activatedAt, retiredAt }));
  }
}

export class RecordingProfiles implements UserProfiles {
  readonly created: Parameters<UserProfiles['createProfile']>[0][] = [];
  failWith: Error | undefined;
  async createProfile(profile: Parameters<UserProfiles['createProfile']>[0]) {
    if (this.failWith) throw this.failWith;
    this.created.push(profile);
  }
}

/** Cheap scrypt parameters: the hasher's own tests use the production ones. */
export const FAST_SCRYPT = { ln: 4, r: 8, p: 1 };

/** Every port wired to fakes (and the real jose signer and kv throttle over in-memory stores). */
export async function memoryAuthDeps(options: { throttle?: LoginThrottlePolicy } = {}) {
  const clock = new TestClock();
  const users = new MemoryUserRepository();
  const sessions = new MemorySessionRepository();
  const keys = new MemorySigningKeyStore();
  const accessTokens = new JoseAccessTokens(keys, clock);
  await keys.activateIfNone(await accessTokens.generateKeyPair(clock.now()), clock.now());
  const hasher = new ScryptPasswordHasher(FAST_SCRYPT);
  const kv = new MemoryKeyValueStore({ clock: () => clock.now().getTime() });
  const throttle = new KvLoginThrottle(kv, options.throttle ?? DEFAULT_LOGIN_THROTTLE);
  const profiles = new RecordingProfiles();
  const tokens = new SessionTokens({ sessions, accessTokens, clock, lifetimes: { accessTtlS: 900, refreshTtlS: 30 * 86_400 } });
  const logger = createLogger({ service: 'auth-test', level: 'silent' });
  const dummyHash = await hasher.hash('dummy-password');
  return { clock, users, sessions, keys, accessTokens, hasher, kv, throttle, profiles, tokens, logger, dummyHash };
}

export type MemoryAuthDeps = Awaited<ReturnType<typeof memoryAuthDeps>>;
