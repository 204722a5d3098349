import { describe, expect, it } from 'vitest';
import type { DocumentKind } from './document.js';
import type { Role, VerificationStatus } from './profile.js';
import { checkDecision, missingDriverDocuments, statusAfterUpload } from './verificationRules.js';

const kinds = (...list: DocumentKind[]) => new Set(list);
const both = kinds('driver_license', 'national_id');
const profile = (role: Role, verificationStatus: VerificationStatus) => ({ role, verificationStatus });

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('status after an upload', () => {
  it('makes a driver pending once licence and national id are both in', () => {
    expect(statusAfterUpload(profile('driver', 'unverified'), kinds('driver_license'))).toBe('unverified');
    expect(statusAfterUpload(profile('driver', 'unverified'), both)).toBe('pending');
    expect(statusAfterUpload(profile('driver', 'rejected'), both)).toBe('pending');
  });

  it('leaves pending and verified drivers where they are', () => {
    expect(statusAfterUpload(profile('driver', 'pending'), both)).toBe('pending');
    expect(statusAfterUpload(profile('driver', 'verified'), both)).toBe('verified');
  });

  it('never moves passengers or admins, who stay unverified', () => {
    expect(statusAfterUpload(profile('passenger', 'unverified'), both)).toBe('unverified');
    expect(statusAfterUpload(profile('admin', 'unverified'), both)).toBe('unverified');
  });

  it('lists the documents a driver still lacks', () => {
    expect(missingDriverDocuments(kinds('avatar', 'national_id'))).toEqual(['driver_license']);
    expect(missingDriverDocuments(both)).toEqual([]);
  });
});

describe('admin decisions', () => {
  it('verifies or rejects a pending driver', () => {
    expect(checkDecision(profile('driver', 'pending'), { decision: 'verified', reason: undefined })).toEqual({
      decision: 'verified',
      reason: null,
    });
    expect(checkDecision(profile('driver', 'pending'), { decision: 'rejected', reason: '  blurry photo ' })).toEqual({
      decision: 'rejected',
      reason: 'blurry photo',
    });
  });

  it('lets an admin revise an earlier decision', () => {
    expect(checkDecision(profile('driver', 'verified'), { decision: 'rejected', reason: 'licence expired' }).decision).toBe('rejected');
    expect(checkDecision(profile('driver', 'rejected'), { decision: 'verified', reason: null }).decision).toBe('verified');
  });

  it('requires a reason to reject', () => {
    for (const reason of [null, undefined, '', '   ']) {
      expect(code(() => checkDecision(profile('driver', 'pending'), { decision: 'rejected', reason }))).toBe('VALIDATION_FAILED');
    }
    expect(code(() => checkDecision(profile('driver', 'pending'), { decision: 'rejected', reason: 'x'.repeat(501) }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses an unspecified decision', () => {
    expect(code(() => checkDecision(profile('driver', 'pending'), { decision: null, reason: null }))).toBe('VALIDATION_FAILED');
  });

  it('refuses to decide on passengers and admins', () => {
    expect(code(() => checkDecision(profile('passenger', 'unverified'), { decision: 'verified', reason: null }))).toBe('VALIDATION_FAILED');
    expect(code(() => checkDecision(profile('admin', 'unverified'), { decision: 'verified', reason: null }))).toBe('VALIDATION_FAILED');
  });

  it('refuses to decide on a driver who has uploaded nothing', () => {
    expect(code(() => checkDecision(profile('driver', 'unverified'), { decision: 'verified', reason: null }))).toBe('DOCUMENT_NOT_UPLOADED');
  });
});
