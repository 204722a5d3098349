import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { calculateFare, DEFAULT_FARE_TABLE } from '../domain/fareCalculator.js';
import type { TripRecord } from '../domain/trip.js';
import { renderReceiptPdf } from './pdfReceipt.js';

const fare = calculateFare(DEFAULT_FARE_TABLE, { vehicleType: 'car4', distanceM: 6_400, durationS: 1_100, surgeMultiplier: 1.2 });
const trip: TripRecord = {
  id: '44444444-4444-4444-8444-444444444444',
  passengerId: '11111111-1111-4111-8111-111111111111',
  driverId: '22222222-2222-4222-8222-222222222222',
  status: 'COMPLETED',
  vehicleType: 'car4',
  pickup: { lat: 10.7725, lng: 106.698 },
  dropoff: { lat: 10.8, lng: 106.72 },
  quoteId: null,
  quote: { amount: fare.amount, surgeMultiplier: 1.2, breakdown: fare.breakdown },
  fare,
  distanceM: 6_400,
  durationS: 1_100,
  createdAt: new Date('2025-11-26T04:00:00Z'),
  updatedAt: new Date('2025-11-26T04:30:00Z'),
  assignedAt: new Date('2025-11-26T04:01:00Z'),
  arrivedAt: new Date('2025-11-26T04:08:00Z'),
  startedAt: new Date('2025-11-26T04:10:00Z'),
  completedAt: new Date('2025-11-26T04:30:00Z'),
  canceledAt: null,
  cancelReason: null,
  canceledBy: null,
  version: 6,
  dispatchAttempts: 1,
  dispatchStartedAt: new Date('2025-11-26T04:00:00Z'),
  dispatchAttemptsBeforeRound: 0,
};

describe('renderReceiptPdf', () => {
  it('renders a one-page PDF naming the trip, the same bytes every time', async () => {
    const vehicle = { vehicleType: 'car4' as const, plateNumber: '51F-12345', vehicleModel: 'Toyota Vios Đời mới' };
    const pdf = await renderReceiptPdf({ trip, driverId: trip.driverId!, vehicle });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`UIT-Go receipt ${trip.id}`);
    expect(Buffer.compare(pdf, await renderReceiptPdf({ trip, driverId: trip.driverId!, vehicle }))).toBe(0);
  });
});
