import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ERROR_CATALOGUE,
  ERROR_CODES,
  ErrorBody,
  GrpcStatus,
  codeFromGrpcStatus,
  grpcStatusOf,
  httpStatusOf,
  isErrorCode,
  validationDetails,
} from './errors.js';

/** Every code /work/shared/API.md names, with the HTTP status it states (or implies). */
const API_MD_CODES: Record<string, number> = {
  TRIP_NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_TRIP_TRANSITION: 409,
  EMAIL_TAKEN: 409,
  OFFER_NOT_ACTIVE: 409,
  DRIVER_BUSY: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  QUOTE_ALREADY_USED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  DRIVER_NOT_VERIFIED: 409,
};

/** The `<ENTITY>_NOT_FOUND` family for the entities API.md exposes. */
const NOT_FOUND_CODES = ['USER_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'DRIVER_NOT_FOUND', 'TRIP_NOT_FOUND', 'QUOTE_NOT_FOUND'];

describe('error catalogue', () => {
  it.each(Object.entries(API_MD_CODES))('has %s with HTTP %i', (code, status) => {
    expect(isErrorCode(code)).toBe(true);
    if (isErrorCode(code)) expect(httpStatusOf(code)).toBe(status);
  });

  it('maps every *_NOT_FOUND code to 404 / gRPC NOT_FOUND', () => {
    const notFound = ERROR_CODES.filter((code) => code.endsWith('NOT_FOUND'));
    expect(notFound).toEqual(expect.arrayContaining(NOT_FOUND_CODES));
    for (const code of notFound) {
      expect(httpStatusOf(code)).toBe(404);
      expect(grpcStatusOf(code)).toBe(GrpcStatus.NOT_FOUND);
    }
  });

  it('gives every code a status pair and a message', () => {
    for (const spec of Object.values(ERROR_CATALOGUE)) {
      expect(spec.httpStatus).toBeGreaterThanOrEqual(400);
      expect(Object.values(GrpcStatus)).toContain(spec.grpcStatus);
      expect(spec.defaultMessage.length).toBeGreaterThan(0);
    }
  });

  it('falls back from a bare gRPC status to a code', () => {
    expect(codeFromGrpcStatus(GrpcStatus.NOT_FOUND)).toBe('NOT_FOUND');
    expect(codeFromGrpcStatus(GrpcStatus.INVALID_ARGUMENT)).toBe('VALIDATION_FAILED');
    expect(codeFromGrpcStatus(GrpcStatus.UNAVAILABLE)).toBe('UNAVAILABLE');
    expect(codeFromGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)).toBe('DEADLINE_EXCEEDED');
    expect(codeFromGrpcStatus(GrpcStatus.UNKNOWN)).toBe('INTERNAL');
    expect(codeFromGrpcStatus(99)).toBe('INTERNAL');
  });

  it('keeps a code\'s gRPC status mapping back to the same HTTP class', () => {
    for (const code of ERROR_CODES) {
      const fallback = codeFromGrpcStatus(grpcStatusOf(code));
      expect(Math.floor(httpStatusOf(fallback) / 100), code).toBe(Math.floor(httpStatusOf(code) / 100));
    }
  });
});

describe('ErrorBody', () => {
  it('requires code, message and traceId; details is optional', () => {
    expect(ErrorBody.safeParse({ code: 'TRIP_NOT_FOUND', message: 'Trip not found', traceId: 'abc123' }).success).toBe(true);
    expect(ErrorBody.safeParse({ code: 'TRIP_NOT_FOUND', message: 'Trip not found' }).success).toBe(false);
    expect(ErrorBody.safeParse({ code: 'SOMETHING', message: 'x', traceId: 't' }).success).toBe(false);
  });

  it('names the failing fields in validation details', () => {
    const result = z.object({ pickup: z.object({ lat: z.number() }) }).safeParse({ pickup: { lat: 'x' } });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(validationDetails(result.error, 'body')).toEqual({
        fields: [{ path: 'body.pickup.lat', message: expect.any(String) }],
      });
    }
  });
});
