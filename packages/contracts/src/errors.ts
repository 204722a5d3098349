import { z } from 'zod';

/** Numeric gRPC status codes (grpc/doc/statuscodes.md), so this package needs no gRPC dependency. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcStatus = (typeof GrpcStatus)[keyof typeof GrpcStatus];

export interface ErrorSpec {
  httpStatus: number;
  grpcStatus: GrpcStatus;
  defaultMessage: string;
}

const G = GrpcStatus;
const spec = (httpStatus: number, grpcStatus: GrpcStatus, defaultMessage: string): ErrorSpec => ({
  httpStatus,
  grpcStatus,
  defaultMessage,
});

/**
 * Every error code the platform returns. Services raise a code with its gRPC status; the
 * gateway answers with the code's HTTP status and the public error body.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: spec(400, G.INVALID_ARGUMENT, 'The request is invalid'),
  INVALID_CREDENTIALS: spec(401, G.UNAUTHENTICATED, 'Email or password is incorrect'),
  UNAUTHENTICATED: spec(401, G.UNAUTHENTICATED, 'Sign in to continue'),
  TOKEN_EXPIRED: spec(401, G.UNAUTHENTICATED, 'The token has expired'),
  TOKEN_INVALID: spec(401, G.UNAUTHENTICATED, 'The token is not valid'),
  SESSION_REVOKED: spec(401, G.UNAUTHENTICATED, 'The session has ended; sign in again'),
  FORBIDDEN: spec(403, G.PERMISSION_DENIED, 'You may not do this'),
  NOT_FOUND: spec(404, G.NOT_FOUND, 'Not found'),
  ROUTE_NOT_FOUND: spec(404, G.NOT_FOUND, 'No such endpoint'),
  USER_NOT_FOUND: spec(404, G.NOT_FOUND, 'User not found'),
  DOCUMENT_NOT_FOUND: spec(404, G.NOT_FOUND, 'Document not found'),
  DRIVER_NOT_FOUND: spec(404, G.NOT_FOUND, 'Driver not found'),
  TRIP_NOT_FOUND: spec(404, G.NOT_FOUND, 'Trip not found'),
  QUOTE_NOT_FOUND: spec(404, G.NOT_FOUND, 'Quote not found'),
  OFFER_NOT_FOUND: spec(404, G.NOT_FOUND, 'Offer not found'),
  CONFLICT: spec(409, G.ABORTED, 'The resource changed meanwhile; retry'),
  EMAIL_TAKEN: spec(409, G.ALREADY_EXISTS, 'An account with this email already exists'),
  INVALID_TRIP_TRANSITION: spec(409, G.FAILED_PRECONDITION, 'The trip cannot make this change in its current status'),
  ACTIVE_TRIP_EXISTS: spec(409, G.FAILED_PRECONDITION, 'You already have an active trip'),
  QUOTE_ALREADY_USED: spec(409, G.FAILED_PRECONDITION, 'This quote was already used for a trip; ask for a new one'),
  TRIP_NOT_COMPLETED: spec(409, G.FAILED_PRECONDITION, 'The trip is not completed yet'),
  ALREADY_RATED: spec(409, G.ALREADY_EXISTS, 'This trip is already rated'),
  OFFER_NOT_ACTIVE: spec(409, G.FAILED_PRECONDITION, 'The offer is no longer active'),
  DRIVER_BUSY: spec(409, G.FAILED_PRECONDITION, 'The driver is on another trip'),
  DRIVER_NOT_VERIFIED: spec(409, G.FAILED_PRECONDITION, 'The driver is not verified yet'),
  VEHICLE_NOT_REGISTERED: spec(409, G.FAILED_PRECONDITION, 'Register a vehicle first'),
  DOCUMENT_NOT_UPLOADED: spec(409, G.FAILED_PRECONDITION, 'The file has not been uploaded yet'),
  IDEMPOTENCY_KEY_IN_USE: spec(409, G.ABORTED, 'A request with this Idempotency-Key is still in progress'),
  QUOTE_EXPIRED: spec(410, G.FAILED_PRECONDITION, 'The quote has expired; ask for a new one'),
  PAYLOAD_TOO_LARGE: spec(413, G.INVALID_ARGUMENT, 'The payload is too large'),
  UNSUPPORTED_MEDIA_TYPE: spec(415, G.INVALID_ARGUMENT, 'The content type is not supported'),
  IDEMPOTENCY_KEY_REUSED: spec(422, G.INVALID_ARGUMENT, 'This Idempotency-Key was used with a different request'),
  RATE_LIMITED: spec(429, G.RESOURCE_EXHAUSTED, 'Too many requests; slow down'),
  REQUEST_TIMEOUT: spec(408, G.INVALID_ARGUMENT, 'The request did not arrive in time'),
  HEADERS_TOO_LARGE: spec(431, G.INVALID_ARGUMENT, 'The request headers are too large'),
  INTERNAL: spec(500, G.INTERNAL, 'Something went wrong'),
  UNAVAILABLE: spec(503, G.UNAVAILABLE, 'The service is temporarily unavailable'),
  DEADLINE_EXCEEDED: spec(504, G.DEADLINE_EXCEEDED, 'The request took too long'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

export const httpStatusOf = (code: ErrorCode): number => ERROR_CATALOGUE[code].httpStatus;
export const grpcStatusOf = (code: ErrorCode): GrpcStatus => ERROR_CATALOGUE[code].grpcStatus;
export const defaultMessageOf = (code: ErrorCode): string => ERROR_CATALOGUE[code].defaultMessage;

const CODE_BY_GRPC_STATUS: Readonly<Record<number, ErrorCode>> = {
  [G.CANCELLED]: 'UNAVAILABLE',
  [G.INVALID_ARGUMENT]: 'VALIDATION_FAILED',
  [G.OUT_OF_RANGE]: 'VALIDATION_FAILED',
  [G.DEADLINE_EXCEEDED]: 'DEADLINE_EXCEEDED',
  [G.NOT_FOUND]: 'NOT_FOUND',
  [G.ALREADY_EXISTS]: 'CONFLICT',
  [G.FAILED_PRECONDITION]: 'CONFLICT',
  [G.ABORTED]: 'CONFLICT',
  [G.PERMISSION_DENIED]: 'FORBIDDEN',
  [G.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [G.RESOURCE_EXHAUSTED]: 'RATE_LIMITED',
  [G.UNAVAILABLE]: 'UNAVAILABLE',
};

/** For a gRPC error that carries no error code (e.g. raised by the transport, not a service). */
export function codeFromGrpcStatus(status: number): ErrorCode {
  return CODE_BY_GRPC_STATUS[status] ?? 'INTERNAL';
}

export const FieldIssue = z.object({
  path: z.string().meta({ description: 'Dotted path of the field, e.g. `pickup.lat`; empty for the whole body' }),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** `details` of VALIDATION_FAILED: which fields are wrong and why. */
export const ValidationDetails = z.object({ fields: z.array(FieldIssue) });
export type ValidationDetails = z.infer<typeof ValidationDetails>;

export function validationDetails(error: z.ZodError, prefix?: string): ValidationDetails {
  return {
    fields: error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.'),
      message: issue.message,
    })),
  };
}

export const ErrorBody = z
  .object({
    code: ErrorCodeSchema,
    message: z.string(),
    traceId: z.string().meta({ description: 'Also in the `x-trace-id` header and the logs' }),
    details: z.unknown().optional().meta({ description: 'For VALIDATION_FAILED: `{fields: [{path, message}]}`' }),
  })
  .meta({ example: { code: 'TRIP_NOT_FOUND', message: 'Trip not found', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' } });
export type ErrorBody = z.infer<typeof ErrorBody>;
