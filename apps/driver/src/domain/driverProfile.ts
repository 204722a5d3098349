import { PlateNumber, type DriverStatus, type VehicleType } from '@uitgo/contracts';
import { ValidationFailed } from './errors.js';

export type { DriverStatus as Availability, VehicleType };
export const VEHICLE_TYPES: readonly VehicleType[] = ['bike', 'car4', 'car7'];

/** A driver as drivers-db keeps it. `version` grows with every change, so mirrors can drop stale writes. */
export interface DriverRecord {
  id: string;
  vehicleType: VehicleType;
  plateNumber: string;
  plateKey: string;
  vehicleModel: string;
  availability: DriverStatus;
  currentTripId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VehicleInput {
  vehicleType: VehicleType | null;
  plateNumber: string;
  vehicleModel: string;
}

export interface Vehicle {
  vehicleType: VehicleType;
  plateNumber: string;
  /** The plate with only letters and digits: `51F-123.45` and `51f 12345` are the same plate. */
  plateKey: string;
  vehicleModel: string;
}

/** Normalises and checks vehicle details; the plate is shown as typed (upper-cased) but compared by `plateKey`. */
export function parseVehicle(input: VehicleInput): Vehicle {
  const fields: { path: string; message: string }[] = [];
  if (!input.vehicleType) fields.push({ path: 'vehicleType', message: 'must be bike, car4 or car7' });
  const plate = PlateNumber.safeParse(input.plateNumber);
  if (!plate.success) fields.push({ path: 'plateNumber', message: plate.error.issues[0]?.message ?? 'is invalid' });
  const model = input.vehicleModel.trim();
  if (model.length === 0 || model.length > 80) fields.push({ path: 'vehicleModel', message: 'must be 1 to 80 characters' });
  if (fields.length > 0 || !input.vehicleType || !plate.success) throw new ValidationFailed(fields);
  const plateNumber = plate.data.replace(/\s+/g, ' ');
  return { vehicleType: input.vehicleType, plateNumber, plateKey: plateNumber.replace(/[^A-Z0-9]/g, ''), vehicleModel: model };
}
