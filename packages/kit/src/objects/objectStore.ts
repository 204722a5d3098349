import type { Readable } from 'node:stream';

export interface PutObjectOptions {
  contentType: string;
  /** Known size of a stream body; lets the store check it and plan multipart parts. */
  contentLength?: number;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  size: number;
}

export interface ObjectInfo {
  size: number;
  contentType: string;
  etag: string;
}

export interface PresignPutOptions {
  contentType: string;
  contentLength: number;
  expiresInS: number;
}

/** A direct-upload grant: send exactly these headers with a body of exactly that size. */
export interface PresignedPut {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignGetOptions {
  expiresInS: number;
  /** Served as `Content-Disposition: attachment` with this file name. */
  downloadName?: string;
}

export interface PresignedGet {
  url: string;
  expiresAt: Date;
}

/**
 * Binary objects (avatars, licences, receipts) addressed by key. Keys are `/`-separated
 * segments of `[A-Za-z0-9._-]` (plus `!*'()`), never `.` or `..`, so a key maps safely to a
 * path and needs no URL encoding.
 */
export interface ObjectStore {
  put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A URL a client can PUT to; the signature binds the content type and length. */
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut>;
  presignGet(key: string, options: PresignGetOptions): Promise<PresignedGet>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

export function assertValidKey(key: string): void {
  const segments = key.split('/');
  const ok = key.length > 0 && key.length <= 1024 && segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!ok) throw new InvalidObjectKeyError(key);
}

export class InvalidObjectKeyError extends Error {
  constructor(readonly key: string) {
    super(`invalid object key: ${JSON.stringify(key.slice(0, 100))}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/** SigV4 allows at most 7 days; the local store follows the same rule. */
export function assertExpiry(expiresInS: number): void {
  if (!Number.isSafeInteger(expiresInS) || expiresInS < 1 || expiresInS > 604_800) {
    throw new RangeError(`expiresInS must be an integer between 1 and 604800, got ${expiresInS}`);
  }
}

export function assertLength(contentLength: number): void {
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) {
    throw new RangeError(`contentLength must be a non-negative integer, got ${contentLength}`);
  }
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
