import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../ports/passwordHasher.js';
import { deriveOnLibuvPool, type DeriveKey } from './scryptThreads.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and tens of milliseconds per hash (OWASP's scrypt minimum is below this). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function scryptOptions(params: ScryptParams): ScryptOptions {
  const N = 2 ** params.ln;
  // scrypt needs 128·N·r bytes; leave headroom over Node's 32 MiB default.
  return { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
}

const b64 = (buf: Buffer) => buf.toString('base64').replace(/=+$/, '');

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(hash: string): ParsedHash | undefined {
  const m = PHC.exec(hash);
  if (!m) return undefined;
  const [, ln, r, p, salt, key] = m as unknown as [string, string, string, string, string, string];
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  if (params.ln < 1 || params.ln > 22 || params.r < 1 || params.p < 1) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/**
 * scrypt off the event loop: node:crypto's async API (libuv thread pool) by default, or the
 * `derive` given (the service passes low-priority hashing threads, see ScryptThreads).
 * Hashes are PHC strings, `$scrypt$ln=15,r=8,p=1$<salt>$<key>`, so the parameters can be raised
 * later: old hashes still verify and `needsRehash` says when to upgrade them.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  constructor(
    private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
    private readonly derive: DeriveKey = deriveOnLibuvPool,
  ) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password.normalize('NFC'), salt, KEY_BYTES, scryptOptions(this.params));
    const { ln, r, p } = this.params;
    return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    const parsed = parse(hash);
    if (!parsed || parsed.key.length < 16) return false;
    const candidate = await this.derive(password.normalize('NFC'), parsed.salt, parsed.key.length, scryptOptions(parsed.params));
    return timingSafeEqual(candidate, parsed.key);
  }

  needsRehash(hash: string): boolean {
    const parsed = parse(hash);
    if (!parsed) return true;
    const { ln, r, p } = parsed.params;
    return ln < this.params.ln || r < this.params.r || p < this.params.p || parsed.key.length < KEY_BYTES;
  }
}
