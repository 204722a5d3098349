import type { FieldIssue } from '@uitgo/contracts';
import { AppError } from '@uitgo/kit';

export class ValidationFailed extends AppError {
  constructor(fields: FieldIssue[], message = fields.map((f) => `${f.path} ${f.message}`).join('; ')) {
    super('VALIDATION_FAILED', message, { fields });
  }
}

export class Unauthenticated extends AppError {
  constructor() {
    super('UNAUTHENTICATED', 'Sign in to continue');
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You may not do this to this trip') {
    super('FORBIDDEN', message);
  }
}

export class TripNotFound extends AppError {
  constructor(tripId: string) {
    super('TRIP_NOT_FOUND', `Trip ${tripId} not found`);
  }
}

export class InvalidTransition extends AppError {
  constructor(status: string, action: string) {
    super('INVALID_TRIP_TRANSITION', `A ${status} trip cannot ${action}`);
  }
}

export class QuoteNotFound extends AppError {
  constructor() {
    super('QUOTE_NOT_FOUND', 'Quote not found');
  }
}

export class QuoteExpired extends AppError {
  constructor() {
    super('QUOTE_EXPIRED', 'The quote has expired; ask for a new one');
  }
}

/** A quote books one trip: a second one from it (another Idempotency-Key) would keep an old price alive. */
export class QuoteAlreadyUsed extends AppError {
  constructor() {
    super('QUOTE_ALREADY_USED', 'This quote was already used for a trip; ask for a new one');
  }
}

export class ActiveTripExists extends AppError {
  constructor() {
    super('ACTIVE_TRIP_EXISTS', 'You already have an active trip');
  }
}

export class IdempotencyKeyReused extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
  }
}

export class OfferNotFound extends AppError {
  constructor() {
    super('OFFER_NOT_FOUND', 'This trip was never offered to you');
  }
}

export class OfferNotActive extends AppError {
  constructor() {
    super('OFFER_NOT_ACTIVE', 'The offer is no longer active');
  }
}

export class DriverBusy extends AppError {
  constructor(message = 'The driver is on another trip') {
    super('DRIVER_BUSY', message);
  }
}

export class TripNotCompleted extends AppError {
  constructor() {
    super('TRIP_NOT_COMPLETED', 'The trip is not completed yet');
  }
}

export class AlreadyRated extends AppError {
  constructor() {
    super('ALREADY_RATED', 'This trip is already rated');
  }
}

export class Unavailable extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}
