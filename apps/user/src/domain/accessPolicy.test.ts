import type { Caller } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import {
  assertAdmin,
  assertIsUser,
  assertMayCreateProfile,
  assertMayListDocuments,
  assertMayReadDecisions,
  assertMayReadUser,
  requireCaller,
} from './accessPolicy.js';

const me = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';
const as = (role: Caller['role'], userId = me): Caller => ({ role, userId });
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('access policy', () => {
  it('treats a missing caller as UNAUTHENTICATED', () => {
    expect(code(() => requireCaller(undefined))).toBe('UNAUTHENTICATED');
    expect(requireCaller(as('driver'))).toEqual(as('driver'));
  });

  it('lets users read themselves, admins and services anyone', () => {
    expect(code(() => assertMayReadUser(as('passenger'), me))).toBeUndefined();
    expect(code(() => assertMayReadUser(as('passenger'), other))).toBe('FORBIDDEN');
    expect(code(() => assertMayReadUser(as('admin'), other))).toBeUndefined();
    expect(code(() => assertMayReadUser(as('service'), other))).toBeUndefined();
  });

  it('lets only the user change their profile and documents, not even an admin', () => {
    expect(code(() => assertIsUser(as('driver'), me))).toBeUndefined();
    expect(code(() => assertIsUser(as('admin'), other))).toBe('FORBIDDEN');
  });

  it('lets admins list anyone\'s documents', () => {
    expect(code(() => assertMayListDocuments(as('admin'), other))).toBeUndefined();
    expect(code(() => assertMayListDocuments(as('driver'), other))).toBe('FORBIDDEN');
    expect(code(() => assertMayListDocuments(as('service'), other))).toBe('FORBIDDEN');
  });

  it('lets admins and services read the verification audit trail, not the user decided on', () => {
    expect(code(() => assertMayReadDecisions(as('admin')))).toBeUndefined();
    expect(code(() => assertMayReadDecisions(as('service', 'driver-service')))).toBeUndefined();
    expect(code(() => assertMayReadDecisions(as('driver')))).toBe('FORBIDDEN');
    expect(code(() => assertMayReadDecisions(as('passenger')))).toBe('FORBIDDEN');
  });

  it('keeps admin operations to admins and profile creation to the auth service', () => {
    expect(code(() => assertAdmin(as('driver')))).toBe('FORBIDDEN');
    expect(code(() => assertAdmin(as('admin')))).toBeUndefined();
    expect(code(() => assertMayCreateProfile(as('service', 'auth'), other))).toBeUndefined();
    expect(code(() => assertMayCreateProfile(as('passenger'), other))).toBe('FORBIDDEN');
  });
});
