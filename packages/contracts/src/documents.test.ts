import { describe, expect, it } from 'vitest';
import { AVATAR_MAX_BYTES, CreateDocumentBody, DOCUMENT_MAX_BYTES, DOCUMENT_RULES } from './documents.js';

describe('CreateDocumentBody', () => {
  it('exports per-kind limits: avatars 5 MB images, other documents 10 MB incl. PDF', () => {
    expect(AVATAR_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(DOCUMENT_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(DOCUMENT_RULES.avatar.contentTypes).toEqual(['image/jpeg', 'image/png']);
    expect(DOCUMENT_RULES.driver_license.contentTypes).toContain('application/pdf');
  });

  it('accepts a licence scan as PDF up to 10 MB', () => {
    const body = { kind: 'driver_license', contentType: 'application/pdf', sizeBytes: DOCUMENT_MAX_BYTES };
    expect(CreateDocumentBody.safeParse(body).success).toBe(true);
  });

  it('rejects a PDF avatar and an avatar over 5 MB, naming the field', () => {
    const pdf = CreateDocumentBody.safeParse({ kind: 'avatar', contentType: 'application/pdf', sizeBytes: 1000 });
    expect(pdf.error?.issues.map((issue) => issue.path)).toEqual([['contentType']]);
    const big = CreateDocumentBody.safeParse({ kind: 'avatar', contentType: 'image/png', sizeBytes: AVATAR_MAX_BYTES + 1 });
    expect(big.error?.issues.map((issue) => issue.path)).toEqual([['sizeBytes']]);
  });

  it('rejects other content types, empty files and unknown fields', () => {
    const base = { kind: 'national_id', contentType: 'image/jpeg', sizeBytes: 1000 };
    expect(CreateDocumentBody.safeParse({ ...base, contentType: 'image/gif' }).success).toBe(false);
    expect(CreateDocumentBody.safeParse({ ...base, sizeBytes: 0 }).success).toBe(false);
    expect(CreateDocumentBody.safeParse({ ...base, name: 'x.jpg' }).success).toBe(false);
  });
});
