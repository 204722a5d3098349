import { describe, expect, it } from 'vitest';
import { LocationBatchBody, LocationPoint, NearbyDriversQuery, UpsertVehicleBody } from './drivers.js';

const point = { lat: 10.87, lng: 106.8, headingDeg: 90, speedKmh: 30, accuracyM: 5, recordedAt: '2025-11-26T11:02:00+07:00' };

describe('driver inputs', () => {
  it('accepts a location fix with an offset timestamp and rejects out-of-range values', () => {
    expect(LocationPoint.safeParse(point).success).toBe(true);
    expect(LocationPoint.safeParse({ ...point, lat: 95 }).success).toBe(false);
    expect(LocationPoint.safeParse({ ...point, headingDeg: 360 }).success).toBe(false);
    expect(LocationPoint.safeParse({ ...point, recordedAt: 'now' }).success).toBe(false);
  });

  it('takes 1 to 100 points per batch', () => {
    expect(LocationBatchBody.safeParse({ points: [point] }).success).toBe(true);
    expect(LocationBatchBody.safeParse({ points: [] }).success).toBe(false);
    expect(LocationBatchBody.safeParse({ points: Array(101).fill(point) }).success).toBe(false);
  });

  it('coerces the nearby query and fills defaults', () => {
    expect(NearbyDriversQuery.parse({ lat: '10.87', lng: '106.8' })).toEqual({
      lat: 10.87,
      lng: 106.8,
      radiusM: 3000,
      limit: 20,
    });
    expect(NearbyDriversQuery.safeParse({ lat: '91', lng: '0' }).success).toBe(false);
    expect(NearbyDriversQuery.safeParse({ lat: '10', lng: '106', vehicleType: 'truck' }).success).toBe(false);
  });

  it('uppercases plate numbers and allows only known vehicle types', () => {
    const body = { vehicleType: 'car4', plateNumber: ' 51f-123.45 ', vehicleModel: 'Toyota Vios' };
    expect(UpsertVehicleBody.parse(body).plateNumber).toBe('51F-123.45');
    expect(UpsertVehicleBody.safeParse({ ...body, vehicleType: 'car5' }).success).toBe(false);
  });
});
