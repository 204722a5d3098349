import { z } from 'zod';
import { ValidationFailed } from './errors.js';

/** Keyset position in the newest-first profile list: the last row of the previous page. */
export interface ProfileCursor {
  createdAt: Date;
  id: string;
}

const VERSION = 'p1';
const Encoded = z.tuple([z.literal(VERSION), z.iso.datetime({ offset: false }), z.uuid()]);

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

export function encodeCursor(cursor: ProfileCursor): string {
  return Buffer.from(JSON.stringify([VERSION, cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

const invalid = () => ValidationFailed.field('cursor', 'is not a cursor this service issued');

export function decodeCursor(token: string): ProfileCursor {
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = Encoded.safeParse(raw);
  if (!parsed.success) throw invalid();
  const [, createdAt, id] = parsed.data;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw invalid();
  return { createdAt: date, id };
}

/** 0 (unset) means the default; anything else must be within 1..100. */
export function pageSize(requested: number): number {
  if (requested === 0) return PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(requested) || requested < 1 || requested > PAGE_SIZE_MAX) {
    throw ValidationFailed.field('limit', `must be between 1 and ${PAGE_SIZE_MAX}`);
  }
  return requested;
}
