import { describe, expect, it } from 'vitest';
import { LoginBody, RegisterBody } from './auth.js';

const valid = { email: 'an@example.com', password: 'correct-Horse-42', fullName: 'Nguyễn Văn An', role: 'passenger' };

function messagesFor(body: unknown): string[] {
  const result = RegisterBody.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('RegisterBody', () => {
  it('accepts a valid registration and normalises the email', () => {
    const parsed = RegisterBody.parse({ ...valid, email: '  An.Nguyen@Example.COM ', phone: '+84901234567' });
    expect(parsed.email).toBe('an.nguyen@example.com');
    expect(parsed.phone).toBe('+84901234567');
  });

  it.each([
    ['too short', 'Ab1-short', 'at least 10'],
    ['one class: lowercase', 'abcdefghijkl', 'at least two'],
    ['one class: digits', '123456789012', 'at least two'],
    ['too long', `Aa1${'x'.repeat(126)}`, 'at most 128'],
  ])('rejects a password that is %s', (_case, password, message) => {
    expect(messagesFor({ ...valid, password })).toEqual([expect.stringContaining(message)]);
  });

  it.each(['abcdefghij1', 'ABCDEFGHIJ!', 'hello world long'])('accepts a mixed password %s', (password) => {
    expect(RegisterBody.safeParse({ ...valid, password }).success).toBe(true);
  });

  it('does not let anyone register as admin', () => {
    expect(messagesFor({ ...valid, role: 'admin' })).toEqual([expect.stringMatching(/^role:/)]);
  });

  it('rejects unknown fields', () => {
    expect(messagesFor({ ...valid, isAdmin: true })).toEqual([expect.stringContaining('isAdmin')]);
  });

  it('rejects a malformed email or phone', () => {
    expect(messagesFor({ ...valid, email: 'not-an-email' })).toEqual([expect.stringMatching(/^email:/)]);
    expect(messagesFor({ ...valid, phone: '09-01' })).toEqual([expect.stringMatching(/^phone:/)]);
  });
});

describe('LoginBody', () => {
  it('does not apply the new-password policy', () => {
    expect(LoginBody.safeParse({ email: 'AN@example.com', password: 'short' }).success).toBe(true);
  });
});
