import type { FieldIssue } from '@uitgo/contracts';
import { AppError } from '@uitgo/kit';

export class ValidationFailed extends AppError {
  constructor(fields: FieldIssue[], message = 'The request is invalid') {
    super('VALIDATION_FAILED', message, { fields });
  }
}

/** The same answer for an unknown email and a wrong password, so neither is revealed. */
export class InvalidCredentials extends AppError {
  constructor() {
    super('INVALID_CREDENTIALS', 'Email or password is incorrect');
  }
}

export class EmailTaken extends AppError {
  constructor() {
    super('EMAIL_TAKEN', 'An account with this email already exists');
  }
}

export class TokenInvalid extends AppError {
  constructor(message = 'The token is not valid') {
    super('TOKEN_INVALID', message);
  }
}

export class TokenExpired extends AppError {
  constructor() {
    super('TOKEN_EXPIRED', 'The token has expired');
  }
}

export class SessionRevoked extends AppError {
  constructor(sessionId: string, reason: string | null) {
    super('SESSION_REVOKED', 'The session has ended; sign in again', { sessionId, ...(reason ? { reason } : {}) });
  }
}

export class RateLimited extends AppError {
  constructor(retryAfterS: number) {
    super('RATE_LIMITED', 'Too many failed sign-in attempts; try again later', { retryAfterS });
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in to continue') {
    super('UNAUTHENTICATED', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

export class UserNotFound extends AppError {
  constructor(userId: string) {
    super('USER_NOT_FOUND', 'User not found', { userId });
  }
}
