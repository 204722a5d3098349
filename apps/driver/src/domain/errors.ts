import { AppError } from '@uitgo/kit';
import type { FieldIssue } from '@uitgo/contracts';

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
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class DriverNotFound extends AppError {
  constructor(driverId: string) {
    super('DRIVER_NOT_FOUND', `Driver ${driverId} has no profile`);
  }
}

export class VehicleNotRegistered extends AppError {
  constructor() {
    super('VEHICLE_NOT_REGISTERED', 'Register a vehicle before going online');
  }
}

export class DriverNotVerified extends AppError {
  constructor(status: string) {
    super('DRIVER_NOT_VERIFIED', `The driver's account is ${status}, not verified`);
  }
}

export class DriverBusy extends AppError {
  constructor(message = 'The driver is on a trip') {
    super('DRIVER_BUSY', message);
  }
}

export class Unavailable extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}
