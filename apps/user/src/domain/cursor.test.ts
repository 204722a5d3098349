import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';

const position = { createdAt: new Date('2025-03-04T05:06:07.089Z'), id: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51' };
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const expectInvalid = (token: string) => {
  try {
    decodeCursor(token);
  } catch (err) {
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'cursor' }] } });
    return;
  }
  throw new Error(`expected ${token} to be rejected`);
};

describe('profile list cursor', () => {
  it('round-trips the keyset position with millisecond precision', () => {
    const token = encodeCursor(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual(position);
  });

  it.each([
    ['not base64url', 'abc$%^'],
    ['base64 of garbage', b64('not json')],
    ['a JSON object instead of the tuple', b64({ createdAt: position.createdAt.toISOString(), id: position.id })],
    ['another version', b64(['p2', position.createdAt.toISOString(), position.id])],
    ['an id that is not a uuid', b64(['p1', position.createdAt.toISOString(), "1' or 1=1"])],
    ['an impossible date', b64(['p1', '2025-02-30T00:00:00.000Z', position.id])],
    ['extra elements', b64(['p1', position.createdAt.toISOString(), position.id, 'x'])],
    ['an overlong token', 'A'.repeat(600)],
  ])('rejects %s as VALIDATION_FAILED', (_name, token) => expectInvalid(token));

  it('rejects a cursor with flipped characters', () => {
    const token = encodeCursor(position);
    expectInvalid(`x${token.slice(1)}`);
    expectInvalid(token.slice(0, -6));
  });
});

describe('page size', () => {
  it('defaults 0 to 20 and accepts 1..100', () => {
    expect([pageSize(0), pageSize(1), pageSize(100)]).toEqual([20, 1, 100]);
  });

  it.each([-1, 101, 2.5])('rejects %d', (size) => {
    expect(() => pageSize(size)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
