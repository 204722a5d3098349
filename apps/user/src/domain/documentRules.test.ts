import { AVATAR_MAX_BYTES, DOCUMENT_MAX_BYTES } from '@uitgo/contracts';
import { describe, expect, it } from 'vitest';
import { assertUploadMatches, checkDeclaration, documentObjectKey, uploadProblem } from './documentRules.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('document declarations', () => {
  it('accepts an avatar as JPEG or PNG up to 5 MB', () => {
    expect(checkDeclaration({ kind: 'avatar', contentType: 'image/png', sizeBytes: AVATAR_MAX_BYTES })).toEqual({
      kind: 'avatar',
      contentType: 'image/png',
      sizeBytes: AVATAR_MAX_BYTES,
    });
    expect(checkDeclaration({ kind: 'avatar', contentType: 'IMAGE/JPEG', sizeBytes: 1 }).contentType).toBe('image/jpeg');
  });

  it('refuses a PDF avatar and an avatar over 5 MB', () => {
    expect(code(() => checkDeclaration({ kind: 'avatar', contentType: 'application/pdf', sizeBytes: 10 }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(() => checkDeclaration({ kind: 'avatar', contentType: 'image/png', sizeBytes: AVATAR_MAX_BYTES + 1 }))).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('accepts identity papers as JPEG, PNG or PDF up to 10 MB', () => {
    for (const kind of ['driver_license', 'national_id', 'vehicle_registration']) {
      expect(checkDeclaration({ kind, contentType: 'application/pdf', sizeBytes: DOCUMENT_MAX_BYTES }).kind).toBe(kind);
      expect(code(() => checkDeclaration({ kind, contentType: 'image/png', sizeBytes: DOCUMENT_MAX_BYTES + 1 }))).toBe('PAYLOAD_TOO_LARGE');
      expect(code(() => checkDeclaration({ kind, contentType: 'image/gif', sizeBytes: 100 }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses an unknown kind and a size that is not a positive whole number', () => {
    expect(code(() => checkDeclaration({ kind: null, contentType: 'image/png', sizeBytes: 1 }))).toBe('VALIDATION_FAILED');
    expect(code(() => checkDeclaration({ kind: 'selfie', contentType: 'image/png', sizeBytes: 1 }))).toBe('VALIDATION_FAILED');
    for (const sizeBytes of [0, -5, 1.5, Number.NaN]) {
      expect(code(() => checkDeclaration({ kind: 'avatar', contentType: 'image/png', sizeBytes }))).toBe('VALIDATION_FAILED');
    }
  });
});

describe('object keys', () => {
  it('are users/<id>/<kind>/<128-bit base64url nonce>', () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i * 16);
    const key = documentObjectKey('3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51', 'national_id', nonce);
    expect(key).toBe(`users/3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51/national_id/${Buffer.from(nonce).toString('base64url')}`);
    expect(key.split('/').at(-1)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('need a 16-byte nonce', () => {
    expect(() => documentObjectKey('u', 'avatar', new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('upload check', () => {
  const declared = { sizeBytes: 1234, contentType: 'image/png' };

  it('passes when storage holds exactly the declared size and type', () => {
    expect(uploadProblem(declared, { size: 1234, contentType: 'image/png' })).toBeNull();
    expect(() => assertUploadMatches(declared, { size: 1234, contentType: 'image/png' })).not.toThrow();
  });

  it('says the object is missing', () => {
    expect(uploadProblem(declared, null)).toEqual({ missing: true });
    expect(code(() => assertUploadMatches(declared, null))).toBe('DOCUMENT_NOT_UPLOADED');
  });

  it('names each field that differs', () => {
    expect(uploadProblem(declared, { size: 99, contentType: 'image/jpeg' })).toEqual({
      differences: [
        { field: 'sizeBytes', declared: 1234, stored: 99 },
        { field: 'contentType', declared: 'image/png', stored: 'image/jpeg' },
      ],
    });
    expect(() => assertUploadMatches(declared, { size: 99, contentType: 'image/png' })).toThrow(
      expect.objectContaining({ code: 'DOCUMENT_NOT_UPLOADED', details: { differences: [expect.objectContaining({ field: 'sizeBytes' })] } }),
    );
  });
});
