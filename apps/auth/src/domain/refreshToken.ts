import { createHash } from 'node:crypto';

/**
 * A refresh token is `<session id>.<secret>`: the secret is 32 random bytes, base64url. Only
 * the SHA-256 of the whole token is stored, so a leaked table cannot be replayed.
 */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatRefreshToken(sessionId: string, secret: Uint8Array): string {
  if (secret.length !== 32) throw new RangeError('a refresh token secret is 32 bytes');
  return `${sessionId}.${Buffer.from(secret).toString('base64url')}`;
}

/** The session a presented token claims to belong to; undefined when it is not shaped like one of ours. */
export function parseRefreshToken(token: string): { sessionId: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const sessionId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  return UUID.test(sessionId) && SECRET.test(secret) ? { sessionId: sessionId.toLowerCase() } : undefined;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
