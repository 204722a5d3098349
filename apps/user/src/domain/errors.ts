import { AppError } from '@uitgo/kit';
import type { ValidationDetails } from '@uitgo/contracts';

export class Unauthenticated extends AppError {
  constructor() {
    super('UNAUTHENTICATED', 'Sign in to continue');
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

export class ValidationFailed extends AppError {
  constructor(details: ValidationDetails, message = 'The request is invalid') {
    super('VALIDATION_FAILED', message, details);
  }

  static field(path: string, message: string): ValidationFailed {
    return new ValidationFailed({ fields: [{ path, message }] }, `${path} ${message}`);
  }
}

export class UserNotFound extends AppError {
  constructor(userId: string) {
    super('USER_NOT_FOUND', 'User not found', { userId });
  }
}

export class DocumentNotFound extends AppError {
  constructor(documentId: string) {
    super('DOCUMENT_NOT_FOUND', 'Document not found', { documentId });
  }
}

/** `details` says what is wrong with the stored object, so the client knows whether to upload again. */
export class DocumentNotUploaded extends AppError {
  constructor(message: string, details: unknown) {
    super('DOCUMENT_NOT_UPLOADED', message, details);
  }
}

export class UnsupportedMediaType extends AppError {
  constructor(kind: string, contentType: string, accepted: readonly string[]) {
    super('UNSUPPORTED_MEDIA_TYPE', `${kind} must be one of ${accepted.join(', ')}`, { contentType, accepted });
  }
}

export class PayloadTooLarge extends AppError {
  constructor(kind: string, sizeBytes: number, maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', `${kind} must be at most ${maxBytes} bytes`, { sizeBytes, maxBytes });
  }
}
