import { describe, expect, it } from 'vitest';
import { decisionCursor, pageOf, pageSize, profileCursor } from './cursor.js';

const position = { at: new Date('2025-03-04T05:06:07.089Z'), id: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51' };
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const expectInvalid = (token: string) => {
  try {
    profileCursor.decode(token);
  } catch (err) {
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'cursor' }] } });
    return;
  }
  throw new Error(`expected ${token} to be rejected`);
};

describe('profile list cursor', () => {
  it('round-trips the keyset position with millisecond precision', () => {
    const token = profileCursor.encode(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(profileCursor.decode(token)).toEqual(position);
  });

  it.each([
    ['not base64url', 'abc$%^'],
    ['base64 of garbage', b64('not json')],
    ['a JSON object instead of the tuple', b64({ createdAt: position.at.toISOString(), id: position.id })],
    ['another version', b64(['p2', position.at.toISOString(), position.id])],
    ['an id that is not a uuid', b64(['p1', position.at.toISOString(), "1' or 1=1"])],
    ['an impossible date', b64(['p1', '2025-02-30T00:00:00.000Z', position.id])],
    ['extra elements', b64(['p1', position.at.toISOString(), position.id, 'x'])],
    ['an overlong token', 'A'.repeat(600)],
  ])('rejects %s as VALIDATION_FAILED', (_name, token) => expectInvalid(token));

  it('rejects a cursor with flipped characters', () => {
    const token = profileCursor.encode(position);
    expectInvalid(`x${token.slice(1)}`);
    expectInvalid(token.slice(0, -6));
  });
});

describe('verification decision cursor', () => {
  it('round-trips, and is not interchangeable with a profile cursor', () => {
    const token = decisionCursor.encode(position);
    expect(decisionCursor.decode(token)).toEqual(position);
    expect(() => decisionCursor.decode(profileCursor.encode(position))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => profileCursor.decode(token)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('pageOf', () => {
  const rows = [3, 2, 1].map((n) => ({ at: new Date(n * 1000), id: position.id }));

  it('keeps `limit` rows and points after the last one when another page exists', () => {
    const page = pageOf(rows, 2, decisionCursor, (row) => row);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decisionCursor.decode(page.nextCursor!)).toEqual(rows[1]);
  });

  it('has no next cursor on the last page', () => {
    expect(pageOf(rows, 3, decisionCursor, (row) => row)).toEqual({ items: rows, nextCursor: null });
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
