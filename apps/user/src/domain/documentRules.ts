import { DOCUMENT_KINDS, DOCUMENT_RULES, type DocumentContentType, type DocumentKind } from '@uitgo/contracts';
import { DocumentNotUploaded, PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from './errors.js';

/** What a client says it is about to upload; checked against the per-kind rules of the contracts. */
export interface DocumentDeclaration {
  kind: DocumentKind;
  contentType: DocumentContentType;
  sizeBytes: number;
}

export interface UncheckedDeclaration {
  kind: string | null;
  contentType: string;
  sizeBytes: number;
}

const isKind = (value: string | null): value is DocumentKind => (DOCUMENT_KINDS as readonly (string | null)[]).includes(value);

/** `image/JPEG; x=y` and `image/jpeg` name the same type. */
export const normalizeContentType = (value: string): string => (value.split(';')[0] ?? '').trim().toLowerCase();

export function checkDeclaration(input: UncheckedDeclaration): DocumentDeclaration {
  if (!isKind(input.kind)) throw ValidationFailed.field('kind', `must be one of ${DOCUMENT_KINDS.join(', ')}`);
  if (!Number.isSafeInteger(input.sizeBytes) || input.sizeBytes <= 0) {
    throw ValidationFailed.field('sizeBytes', 'must be a positive whole number of bytes');
  }
  const rule = DOCUMENT_RULES[input.kind];
  const contentType = normalizeContentType(input.contentType);
  const accepted = rule.contentTypes.find((type) => type === contentType);
  if (!accepted) throw new UnsupportedMediaType(input.kind, input.contentType, rule.contentTypes);
  if (input.sizeBytes > rule.maxBytes) throw new PayloadTooLarge(input.kind, input.sizeBytes, rule.maxBytes);
  return { kind: input.kind, contentType: accepted, sizeBytes: input.sizeBytes };
}

export const OBJECT_KEY_NONCE_BYTES = 16;

/**
 * The storage key of a new document. The 128-bit nonce makes it unguessable, and the client
 * never chooses any part of it, so a presigned URL can only ever reach the caller's own object.
 */
export function documentObjectKey(userId: string, kind: DocumentKind, nonce: Uint8Array): string {
  if (nonce.length !== OBJECT_KEY_NONCE_BYTES) throw new RangeError(`nonce must be ${OBJECT_KEY_NONCE_BYTES} bytes`);
  return `users/${userId}/${kind}/${Buffer.from(nonce).toString('base64url')}`;
}

export interface StoredObjectFacts {
  size: number;
  contentType: string;
}

export type UploadProblem =
  | { missing: true }
  | { differences: { field: 'sizeBytes' | 'contentType'; declared: number | string; stored: number | string }[] };

/** Null when the stored object is exactly what was declared; otherwise what differs. */
export function uploadProblem(declared: { sizeBytes: number; contentType: string }, stored: StoredObjectFacts | null): UploadProblem | null {
  if (!stored) return { missing: true };
  const differences: Extract<UploadProblem, { differences: unknown }>['differences'] = [];
  if (stored.size !== declared.sizeBytes) differences.push({ field: 'sizeBytes', declared: declared.sizeBytes, stored: stored.size });
  if (normalizeContentType(stored.contentType) !== normalizeContentType(declared.contentType)) {
    differences.push({ field: 'contentType', declared: declared.contentType, stored: stored.contentType });
  }
  return differences.length === 0 ? null : { differences };
}

export function assertUploadMatches(declared: { sizeBytes: number; contentType: string }, stored: StoredObjectFacts | null): void {
  const problem = uploadProblem(declared, stored);
  if (!problem) return;
  if ('missing' in problem) throw new DocumentNotUploaded('The file is not in storage yet; upload it first', problem);
  const fields = problem.differences.map((d) => d.field).join(' and ');
  throw new DocumentNotUploaded(`The stored file's ${fields} differ from what was declared; upload it again`, problem);
}
