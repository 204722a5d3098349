import { codeFromGrpcStatus, grpcStatusOf, httpStatusOf, type ErrorCode } from '@uitgo/contracts';

/**
 * The one error type below the gateway. Domain code throws subclasses with a catalogued
 * code; the gRPC layer turns the code into a status, the gateway into an HTTP status + body.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** `cause`: what failed underneath (a transport error), for the logs; never sent to clients. */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  get grpcStatus(): number {
    return grpcStatusOf(this.code);
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/** Serialized form carried in gRPC trailing metadata so the code survives the hop. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export const ERROR_TRAILER = 'uitgo-error';

export function encodeWireError(err: AppError): string {
  const wire: WireError = { code: err.code, message: err.message, details: err.details };
  return JSON.stringify(wire);
}

export function decodeWireError(raw: string | undefined, status: number, message: string): AppError {
  if (raw) {
    try {
      const wire = JSON.parse(raw) as WireError;
      return new AppError(wire.code, wire.message, wire.details);
    } catch {
      // fall through to the status mapping: a malformed trailer is no reason to lose the error
    }
  }
  return new AppError(codeFromGrpcStatus(status), message);
}
