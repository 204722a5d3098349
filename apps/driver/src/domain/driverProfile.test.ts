import { describe, expect, it } from 'vitest';
import { parseVehicle } from './driverProfile.js';

describe('parseVehicle', () => {
  it('upper-cases the plate and compares plates by letters and digits only', () => {
    const a = parseVehicle({ vehicleType: 'car4', plateNumber: ' 51f-123.45 ', vehicleModel: ' Toyota Vios ' });
    expect(a).toEqual({ vehicleType: 'car4', plateNumber: '51F-123.45', plateKey: '51F12345', vehicleModel: 'Toyota Vios' });
    expect(parseVehicle({ vehicleType: 'bike', plateNumber: '51F 12345', vehicleModel: 'Wave' }).plateKey).toBe(a.plateKey);
  });

  it('names every bad field', () => {
    expect(() => parseVehicle({ vehicleType: null, plateNumber: '!', vehicleModel: ' ' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: [expect.objectContaining({ path: 'vehicleType' }), expect.objectContaining({ path: 'plateNumber' }), expect.objectContaining({ path: 'vehicleModel' })] } }),
    );
  });
});
