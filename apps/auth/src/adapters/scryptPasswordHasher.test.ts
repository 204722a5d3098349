import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, ScryptPasswordHasher } from './scryptPasswordHasher.js';

describe('ScryptPasswordHasher', () => {
  const hasher = new ScryptPasswordHasher();

  it('uses N=2^15, r=8, p=1 by default and encodes them in a PHC string with a 16-byte salt', async () => {
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ ln: 15, r: 8, p: 1 });
    const hash = await hasher.hash('correct-Horse-42');
    const m = /^\$scrypt\$ln=15,r=8,p=1\$([^$]+)\$([^$]+)$/.exec(hash);
    expect(m).not.toBeNull();
    expect(Buffer.from(m![1]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(m![2]!, 'base64')).toHaveLength(32);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct-Horse-42');
    await expect(hasher.verify('correct-Horse-42', hash)).resolves.toBe(true);
    await expect(hasher.verify('correct-horse-42', hash)).resolves.toBe(false);
    await expect(hasher.verify('', hash)).resolves.toBe(false);
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hasher.hash('same-Password-1'), hasher.hash('same-Password-1')]);
    expect(a).not.toBe(b);
    await expect(hasher.verify('same-Password-1', b!)).resolves.toBe(true);
  });

  it('returns false for malformed hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', '$scrypt$ln=15,r=8,p=1$$', '$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA']) {
      await expect(hasher.verify('whatever', bad)).resolves.toBe(false);
    }
  });

  it('verifies hashes made with older parameters and says they need a rehash', async () => {
    const weak = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 });
    const old = await weak.hash('legacy-Password-7');
    expect(old).toMatch(/^\$scrypt\$ln=10,/);
    await expect(hasher.verify('legacy-Password-7', old)).resolves.toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('legacy-Password-7'))).toBe(false);
    expect(weak.needsRehash(old)).toBe(false);
  });
});
