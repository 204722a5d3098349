import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryAuthDeps, type MemoryAuthDeps } from '../test/memoryPorts.js';
import { login } from './login.useCase.js';
import { register } from './register.useCase.js';
import { LimitedPasswordHasher } from '../adapters/limitedPasswordHasher.js';
import { ScryptPasswordHasher } from '../adapters/scryptPasswordHasher.js';

describe('login', () => {
  let deps: MemoryAuthDeps;
  const password = 'correct-Horse-42';

  beforeEach(async () => {
    deps = await memoryAuthDeps({ throttle: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowS: 900 } });
    await register(deps, { email: 'an@example.com', password, fullName: 'An', role: 'driver' });
  });

  it('opens a new session for the right password, whatever the case of the email', async () => {
    const { user, tokens } = await login(deps, { email: '  AN@Example.com ', password });
    expect(user).toMatchObject({ email: 'an@example.com', role: 'driver' });
    expect(tokens.refreshToken).toContain('.');
    expect(deps.sessions.sessions.size).toBe(2);
  });

  it('answers an unknown email exactly like a wrong password, after verifying a dummy hash', async () => {
    const verify = vi.spyOn(deps.hasher, 'verify');
    const wrong = await login(deps, { email: 'an@example.com', password: 'wrong-Password-1' }).catch((e: unknown) => e);
    const unknown = await login(deps, { email: 'nobody@example.com', password }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' });
    expect(unknown).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' });
    expect((unknown as { details?: unknown }).details).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.calls[1]).toEqual([password, deps.dummyHash, undefined]);
  });

  it('rate-limits an account after 5 failures with retryAfterS, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(login(deps, { email: 'an@example.com', password: 'wrong-Password-1' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    await expect(login(deps, { email: 'an@example.com', password })).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: 900 } });
    deps.clock.advance(900);
    await expect(login(deps, { email: 'an@example.com', password })).resolves.toMatchObject({ user: { email: 'an@example.com' } });
  });

  const outcome = (attempt: Promise<unknown>) => attempt.then(() => 'OK', (err: { code?: string }) => err.code ?? String(err));

  it('lets at most 5 of 12 parallel wrong passwords for one account reach the password check', async () => {
    const verify = vi.spyOn(deps.hasher, 'verify');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => outcome(login(deps, { email: 'an@example.com', password: 'wrong-Password-1' }))),
    );
    expect(verify).toHaveBeenCalledTimes(5);
    expect(outcomes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(7);
    await expect(login(deps, { email: 'an@example.com', password })).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: 900 } });
  });

  it('lets at most 20 of 30 parallel guesses from one address reach the password check', async () => {
    const verify = vi.spyOn(deps.hasher, 'verify');
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => outcome(login(deps, { email: `guess${i}@example.com`, password, clientIp: '203.0.113.9' }))),
    );
    expect(verify).toHaveBeenCalledTimes(20);
    expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(10);
  });

  it('does not count an attempt whose caller gave up before its password was checked', async () => {
    const limited = new LimitedPasswordHasher(deps.hasher, { maxConcurrent: 1, maxQueued: 10 });
    for (let i = 0; i < 8; i++) {
      await expect(login({ ...deps, hasher: limited }, { email: 'an@example.com', password: 'wrong-Password-1' }, undefined, AbortSignal.abort())).rejects.toMatchObject({
        code: 'DEADLINE_EXCEEDED',
      });
    }
    await expect(login(deps, { email: 'an@example.com', password })).resolves.toBeDefined();
  });

  it('rate-limits a client address across accounts after 20 failures', async () => {
    for (let i = 0; i < 20; i++) {
      await login(deps, { email: `guess${i}@example.com`, password, clientIp: '203.0.113.9' }).catch(() => undefined);
    }
    await expect(login(deps, { email: 'an@example.com', password, clientIp: '203.0.113.9' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(login(deps, { email: 'an@example.com', password, clientIp: '203.0.113.10' })).resolves.toBeDefined();
  });

  it('forgives earlier failures of the account after a success', async () => {
    for (let i = 0; i < 4; i++) await login(deps, { email: 'an@example.com', password: 'wrong-Password-1' }).catch(() => undefined);
    await login(deps, { email: 'an@example.com', password });
    for (let i = 0; i < 4; i++) await login(deps, { email: 'an@example.com', password: 'wrong-Password-1' }).catch(() => undefined);
    await expect(login(deps, { email: 'an@example.com', password })).resolves.toBeDefined();
  });

  it('rejects malformed input as VALIDATION_FAILED naming the fields', async () => {
    await expect(login(deps, { email: 'not-an-email', password: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ path: 'email' }, { path: 'password' }] },
    });
  });

  it('upgrades a hash made with weaker parameters', async () => {
    const stronger = new ScryptPasswordHasher({ ln: 5, r: 8, p: 1 });
    const before = (await deps.users.findByEmail('an@example.com'))!.passwordHash;
    await login({ ...deps, hasher: stronger }, { email: 'an@example.com', password });
    const after = (await deps.users.findByEmail('an@example.com'))!.passwordHash;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\$scrypt\$ln=5,/);
  });
});
