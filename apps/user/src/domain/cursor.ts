import { z } from 'zod';
import { ValidationFailed } from './errors.js';

/** Keyset position in a newest-first list: the (time, id) of the last row of the previous page. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export interface CursorCodec {
  encode(position: KeysetPosition): string;
  decode(token: string): KeysetPosition;
}

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

const invalid = () => ValidationFailed.field('cursor', 'is not a cursor this service issued');

/** base64url JSON `[version, at, id]`; the version keeps one list's cursor out of another. */
function keysetCursor(version: string): CursorCodec {
  const Encoded = z.tuple([z.literal(version), z.iso.datetime({ offset: false }), z.uuid()]);
  return {
    encode: (position) => Buffer.from(JSON.stringify([version, position.at.toISOString(), position.id])).toString('base64url'),
    decode(token) {
      if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      const parsed = Encoded.safeParse(raw);
      if (!parsed.success) throw invalid();
      const [, at, id] = parsed.data;
      const date = new Date(at);
      if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw invalid();
      return { at: date, id };
    },
  };
}

/** Profiles by (createdAt, id). */
export const profileCursor = keysetCursor('p1');
/** A user's verification decisions by (decidedAt, id). */
export const decisionCursor = keysetCursor('d1');

/** 0 (unset) means the default; anything else must be within 1..100. */
export function pageSize(requested: number): number {
  if (requested === 0) return PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(requested) || requested < 1 || requested > PAGE_SIZE_MAX) {
    throw ValidationFailed.field('limit', `must be between 1 and ${PAGE_SIZE_MAX}`);
  }
  return requested;
}

/**
 * One page from rows fetched with `limit + 1`: the extra row only says that another page
 * exists, and the cursor points after the last row kept.
 */
export function pageOf<T>(rows: readonly T[], limit: number, cursor: CursorCodec, positionOf: (row: T) => KeysetPosition) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursor.encode(positionOf(last)) : null };
}
