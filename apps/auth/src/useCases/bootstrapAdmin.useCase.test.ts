import { describe, expect, it } from 'vitest';
import { memoryAuthDeps } from '../test/memoryPorts.js';
import { bootstrapAdmin } from './bootstrapAdmin.useCase.js';
import { login } from './login.useCase.js';
import { register } from './register.useCase.js';

describe('bootstrapAdmin', () => {
  const admin = { email: 'root@uitgo.dev', password: 'Admin-Password-1' };

  it('creates the admin once, with an event, and the admin can sign in', async () => {
    const deps = await memoryAuthDeps();
    const [a, b] = await Promise.all([bootstrapAdmin(deps, admin), bootstrapAdmin(deps, admin)]);
    expect([a, b].sort()).toEqual(['created', 'exists']);
    expect(await bootstrapAdmin(deps, admin)).toBe('exists');
    expect(deps.users.rows.size).toBe(1);
    expect(deps.users.events.map((e) => e.type)).toEqual(['user.v1.registered']);
    await expect(login(deps, admin)).resolves.toMatchObject({ user: { role: 'admin', email: 'root@uitgo.dev' } });
  });

  it('leaves an existing non-admin account with that email alone', async () => {
    const deps = await memoryAuthDeps();
    await register(deps, { email: admin.email, password: 'correct-Horse-42', fullName: 'Squatter', role: 'passenger' });
    expect(await bootstrapAdmin(deps, admin)).toBe('exists');
    expect((await deps.users.findByEmail(admin.email))?.role).toBe('passenger');
  });
});
