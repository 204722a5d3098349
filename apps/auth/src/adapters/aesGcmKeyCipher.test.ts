import { describe, expect, it } from 'vitest';
import { AesGcmKeyCipher } from './aesGcmKeyCipher.js';

describe('AesGcmKeyCipher', () => {
  const cipher = new AesGcmKeyCipher('a'.repeat(40));

  it('seals and opens, with a fresh IV each time', () => {
    const a = cipher.seal('{"d":"secret"}', 'kid-1');
    const b = cipher.seal('{"d":"secret"}', 'kid-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(cipher.open(a, 'kid-1')).toBe('{"d":"secret"}');
  });

  it('refuses another secret, another key id, or an altered ciphertext', () => {
    const sealed = cipher.seal('{"d":"secret"}', 'kid-1');
    expect(() => new AesGcmKeyCipher('b'.repeat(40)).open(sealed, 'kid-1')).toThrow();
    expect(() => cipher.open(sealed, 'kid-2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => cipher.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'kid-1')).toThrow();
  });
});
