import { calculateFare, DEFAULT_FARE_TABLE } from '../domain/fareCalculator.js';
import type { TripRecord } from '../domain/trip.js';
import { aTripRecord } from './tripRecords.js';

const fare = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: 6_400, durationS: 1_100, surgeMultiplier: 1.2 });
/** A completed car4 ride of 6.4 km with surge 1.2, every date fixed (renders the same receipt every time). */
export const aCompletedTrip = (): TripRecord =>
  aTripRecord({
    driverId: '22222222-2222-4222-8222-222222222222',
    status: 'COMPLETED',
    pickup: { lat: 10.7725, lng: 106.698 },
    dropoff: { lat: 10.8, lng: 106.72 },
    quote: { amount: fare.amount, surgeMultiplier: 1.2, breakdown: fare.breakdown },
    fare,
    distanceM: 6_400,
    durationS: 1_100,
    updatedAt: new Date('2025-11-26T04:30:00Z'),
    assignedAt: new Date('2025-11-26T04:01:00Z'),
    arrivedAt: new Date('2025-11-26T04:08:00Z'),
    startedAt: new Date('2025-11-26T04:10:00Z'),
    completedAt: new Date('2025-11-26T04:30:00Z'),
    version: 6,
  });

/** A receipt row's value, from the strings its PDF draws (each row is drawn as its label, then its value). */
export const receiptRow = (text: string[], label: string): string | undefined => (text.includes(label) ? text[text.indexOf(label) + 1] : undefined);
