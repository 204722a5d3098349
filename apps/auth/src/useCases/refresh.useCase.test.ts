import { beforeEach, describe, expect, it } from 'vitest';
import { hashRefreshToken } from '../domain/refreshToken.js';
import { memoryAuthDeps, type MemoryAuthDeps } from '../test/memoryPorts.js';
import { logout } from './logout.useCase.js';
import { refresh } from './refresh.useCase.js';
import { register } from './register.useCase.js';
import { validateToken } from './validateToken.useCase.js';

describe('refresh, logout and validateToken', () => {
  let deps: MemoryAuthDeps;
  let userId: string;
  let first: { accessToken: string; refreshToken: string };

  beforeEach(async () => {
    deps = await memoryAuthDeps();
    const { user, tokens } = await register(deps, { email: 'an@example.com', password: 'correct-Horse-42', fullName: 'An', role: 'passenger' });
    userId = user.id;
    first = tokens;
  });

  it('validates an access token while its session lives', async () => {
    const valid = await validateToken(deps, first.accessToken);
    expect(valid).toMatchObject({ subject: userId, role: 'passenger', email: 'an@example.com' });
    expect(valid.expiresAt.getTime() - deps.clock.now().getTime()).toBe(900_000);
  });

  it('rotates: a new pair for the same session, the old refresh token spent', async () => {
    deps.clock.advance(60);
    const second = await refresh(deps, first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const sessionId = (await validateToken(deps, first.accessToken)).sessionId;
    expect((await validateToken(deps, second.accessToken)).sessionId).toBe(sessionId);
    expect(second.refreshToken.startsWith(`${sessionId}.`)).toBe(true);
    expect((await deps.sessions.findRefreshToken(hashRefreshToken(first.refreshToken)))?.spentAt).toEqual(deps.clock.now());
    await expect(refresh(deps, second.refreshToken)).resolves.toMatchObject({ expiresInS: 900 });
  });

  it('revokes the whole session when a spent token comes back: even the newest tokens stop working', async () => {
    const second = await refresh(deps, first.refreshToken);
    const { sessionId } = await validateToken(deps, second.accessToken);

    await expect(refresh(deps, first.refreshToken)).rejects.toMatchObject({
      code: 'SESSION_REVOKED',
      details: { sessionId, reason: 'refresh_token_reuse' },
    });
    await expect(refresh(deps, second.refreshToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED', details: { sessionId } });
    await expect(validateToken(deps, second.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED', details: { sessionId } });
    await expect(validateToken(deps, first.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await deps.sessions.find(sessionId))?.revokedReason).toBe('refresh_token_reuse');
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const results = await Promise.allSettled([refresh(deps, first.refreshToken), refresh(deps, first.refreshToken)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [failure] = results.filter((r) => r.status === 'rejected');
    expect(failure?.reason).toMatchObject({ code: 'SESSION_REVOKED' });
  });

  it('answers TOKEN_INVALID for unknown or malformed tokens and TOKEN_EXPIRED for expired ones', async () => {
    const [sid] = first.refreshToken.split('.');
    await expect(refresh(deps, 'garbage')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(refresh(deps, `${sid}.${Buffer.alloc(32).toString('base64url')}`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    deps.clock.advance(30 * 86_400);
    await expect(refresh(deps, first.refreshToken)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('logout ends the session at once and is idempotent', async () => {
    const { sessionId } = await validateToken(deps, first.accessToken);
    const caller = { userId, role: 'passenger' as const, sessionId };
    await logout(deps, caller);
    await logout(deps, caller);
    await expect(validateToken(deps, first.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED', details: { sessionId, reason: 'logout' } });
    await expect(refresh(deps, first.refreshToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED', details: { sessionId } });
    await expect(logout(deps, { userId, role: 'passenger' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it("does not let a caller end someone else's session", async () => {
    const { sessionId } = await validateToken(deps, first.accessToken);
    await logout(deps, { userId: crypto.randomUUID(), role: 'passenger', sessionId });
    await expect(validateToken(deps, first.accessToken)).resolves.toMatchObject({ sessionId });
  });

  it('rejects an expired access token as TOKEN_EXPIRED', async () => {
    deps.clock.advance(901);
    await expect(validateToken(deps, first.accessToken)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    await expect(validateToken(deps, '')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
