import { newTripRecord, type TripRecord } from '../domain/trip.js';

const T0 = new Date('2025-11-26T04:00:00Z');

/**
 * A trip as trips-db holds it: by default a car4 ride just requested (REQUESTED, no driver, one
 * dispatch attempt, every date fixed); `fields` set whatever a test cares about.
 */
export function aTripRecord(fields: Partial<TripRecord> = {}): TripRecord {
  const createdAt = fields.createdAt ?? T0;
  const requested = newTripRecord(
    {
      id: '44444444-4444-4444-8444-444444444444',
      passengerId: '11111111-1111-4111-8111-111111111111',
      vehicleType: 'car4',
      pickup: { lat: 10.77, lng: 106.69 },
      dropoff: { lat: 10.81, lng: 106.69 },
      quoteId: null,
      quote: { amount: 62_000, surgeMultiplier: 1, breakdown: [{ code: 'base', label: 'Base fare', amount: 62_000 }] },
      distanceM: 5_000,
      durationS: 600,
    },
    createdAt,
  );
  return { ...requested, dispatchAttempts: 1, ...fields };
}
