import { beforeEach, describe, expect, it } from 'vitest';
import { memoryAuthDeps, type MemoryAuthDeps } from '../test/memoryPorts.js';
import { register } from './register.useCase.js';
import { validateToken } from './validateToken.useCase.js';

describe('register', () => {
  let deps: MemoryAuthDeps;
  const input = { email: ' An.Nguyen@Example.com ', password: 'correct-Horse-42', fullName: 'Nguyễn Văn An', phone: '+84901234567', role: 'driver' };

  beforeEach(async () => {
    deps = await memoryAuthDeps();
  });

  it('stores a normalised account with a hashed password, records user.v1.registered and returns a session', async () => {
    const { user, tokens } = await register(deps, input);
    expect(user).toMatchObject({ email: 'an.nguyen@example.com', role: 'driver', fullName: 'Nguyễn Văn An', phone: '+84901234567' });
    expect(user.passwordHash).toMatch(/^\$scrypt\$/);
    await expect(deps.hasher.verify('correct-Horse-42', user.passwordHash)).resolves.toBe(true);
    expect(deps.users.events).toEqual([
      expect.objectContaining({
        type: 'user.v1.registered',
        key: user.id,
        payload: { userId: user.id, email: 'an.nguyen@example.com', role: 'driver', fullName: 'Nguyễn Văn An', phone: '+84901234567', registeredAt: user.createdAt.toISOString() },
      }),
    ]);
    expect(deps.profiles.created).toEqual([{ userId: user.id, email: 'an.nguyen@example.com', role: 'driver', fullName: 'Nguyễn Văn An', phone: '+84901234567' }]);
    await expect(validateToken(deps, tokens.accessToken)).resolves.toMatchObject({ subject: user.id, role: 'driver' });
  });

  it('answers EMAIL_TAKEN for the same email in another case', async () => {
    await register(deps, input);
    await expect(register(deps, { ...input, email: 'AN.NGUYEN@example.COM' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
  });

  it('answers EMAIL_TAKEN when a concurrent registration wins the race past the pre-check', async () => {
    const results = await Promise.allSettled([register(deps, input), register(deps, input)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'EMAIL_TAKEN' } });
    expect(deps.users.rows.size).toBe(1);
  });

  it.each([
    ['admin role', { role: 'admin' }, 'role'],
    ['unspecified role', { role: 'unspecified' }, 'role'],
    ['short password', { password: 'Ab1!' }, 'password'],
    ['one-class password', { password: 'abcdefghijkl' }, 'password'],
    ['bad email', { email: 'nope' }, 'email'],
    ['empty name', { fullName: '  ' }, 'fullName'],
    ['bad phone', { phone: '12-34' }, 'phone'],
  ])('rejects a %s as VALIDATION_FAILED', async (_name, change, field) => {
    await expect(register(deps, { ...input, ...change })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [expect.objectContaining({ path: field })] },
    });
    expect(deps.users.rows.size).toBe(0);
  });

  it('still succeeds when the user service cannot be reached', async () => {
    deps.profiles.failWith = new Error('UNAVAILABLE');
    const { user } = await register(deps, input);
    expect(deps.users.rows.has(user.id)).toBe(true);
    expect(deps.users.events).toHaveLength(1);
  });
});
