import { describe, expect, it } from 'vitest';
import { CancelTripBody, CreateTripBody, RatingBody, Trip } from './trips.js';

const requestedTrip = {
  id: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51',
  passengerId: '9a0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  driverId: null,
  status: 'REQUESTED',
  vehicleType: 'car4',
  pickup: { lat: 10.87, lng: 106.803 },
  dropoff: { lat: 10.776, lng: 106.7 },
  quote: { amount: 85000, currency: 'VND', surgeMultiplier: 1.2 },
  fare: null,
  distanceM: 14200,
  createdAt: '2025-11-26T04:02:00.000Z',
  updatedAt: '2025-11-26T04:02:00.000Z',
};

describe('Trip', () => {
  it('accepts the API.md shape with null driverId and fare', () => {
    expect(Trip.parse(requestedTrip)).toEqual(requestedTrip);
  });

  it('accepts a completed trip with a fare and lifecycle timestamps', () => {
    const completed = {
      ...requestedTrip,
      driverId: '1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516',
      status: 'COMPLETED',
      fare: { amount: 87000, currency: 'VND', breakdown: [{ code: 'base', label: 'Base fare', amount: 87000 }] },
      assignedAt: '2025-11-26T04:03:00.000Z',
      arrivedAt: '2025-11-26T04:08:00.000Z',
      startedAt: '2025-11-26T04:09:00.000Z',
      completedAt: '2025-11-26T04:40:00.000Z',
    };
    expect(Trip.safeParse(completed).success).toBe(true);
  });

  it('rejects unknown statuses and currencies', () => {
    expect(Trip.safeParse({ ...requestedTrip, status: 'ON_THE_WAY' }).success).toBe(false);
    expect(Trip.safeParse({ ...requestedTrip, quote: { ...requestedTrip.quote, currency: 'USD' } }).success).toBe(false);
  });
});

describe('trip request bodies', () => {
  const pickup = { lat: 10.87, lng: 106.803 };
  const dropoff = { lat: 10.776, lng: 106.7 };

  it('creates from a quote id or from pickup, dropoff and vehicle type, not a mix', () => {
    expect(CreateTripBody.safeParse({ quoteId: requestedTrip.id }).success).toBe(true);
    expect(CreateTripBody.safeParse({ pickup, dropoff, vehicleType: 'bike' }).success).toBe(true);
    expect(CreateTripBody.safeParse({ quoteId: requestedTrip.id, pickup }).success).toBe(false);
    expect(CreateTripBody.safeParse({ pickup, dropoff }).success).toBe(false);
  });

  it('rejects unknown fields in nested coordinates', () => {
    expect(CreateTripBody.safeParse({ pickup: { ...pickup, alt: 1 }, dropoff, vehicleType: 'bike' }).success).toBe(false);
  });

  it('allows cancel without a body', () => {
    expect(CancelTripBody.safeParse(undefined).success).toBe(true);
    expect(CancelTripBody.parse({ reason: ' changed plans ' })).toEqual({ reason: 'changed plans' });
  });

  it('takes 1..5 whole stars', () => {
    expect(RatingBody.safeParse({ stars: 5, comment: 'great' }).success).toBe(true);
    expect(RatingBody.safeParse({ stars: 0 }).success).toBe(false);
    expect(RatingBody.safeParse({ stars: 4.5 }).success).toBe(false);
  });
});
