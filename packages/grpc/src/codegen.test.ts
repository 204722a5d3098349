import { describe, expect, it } from 'vitest';
import { common, driver, trip } from './index.js';

describe('generated gRPC code', () => {
  it('marks streaming methods on the service definitions', () => {
    expect(trip.TripServiceDefinition.fullName).toBe('uitgo.trip.v1.TripService');
    expect(trip.TripServiceDefinition.methods.watchTrip).toMatchObject({
      name: 'WatchTrip',
      requestStream: false,
      responseStream: true,
    });
    expect(trip.TripServiceDefinition.methods.watchDriverOffers.responseStream).toBe(true);
    expect(driver.DriverServiceDefinition.methods.streamLocations).toMatchObject({
      name: 'StreamLocations',
      requestStream: true,
      responseStream: false,
    });
    expect(trip.TripServiceDefinition.methods.getTrip.requestStream).toBe(false);
  });

  it('round-trips a trip through the wire format', () => {
    const original = trip.Trip.fromPartial({
      id: '3f0c6a1e-6f5b-4a43-9d3e-2c1b0a9f8e7d',
      passengerId: 'p-1',
      driverId: 'd-1',
      status: trip.TripStatus.TRIP_STATUS_IN_TRIP,
      vehicleType: common.VehicleType.VEHICLE_TYPE_CAR4,
      pickup: { lat: 10.8700, lng: 106.8030 },
      dropoff: { lat: 10.7769, lng: 106.7009 },
      quote: { amount: 125_000, currency: 'VND', surgeMultiplier: 1.2 },
      fare: { amount: 3_000_000_000_123, currency: 'VND', breakdown: [{ code: 'base', label: 'Base fare', amount: 12_000 }] },
      distanceM: 15_400,
      createTime: new Date('2025-01-02T03:04:05.678Z'),
      startTime: new Date('2025-01-02T03:20:00.000Z'),
    });

    const decoded = trip.Trip.decode(trip.Trip.encode(original).finish());

    expect(decoded).toEqual(original);
    // forceLong=number: int64 money decodes to a plain number beyond 2^32.
    expect(typeof decoded.fare?.amount).toBe('number');
    expect(decoded.createTime).toBeInstanceOf(Date);
    expect(decoded.cancelReason).toBeUndefined();
  });

  it('encodes a oneof as a tagged union', () => {
    const request = trip.CreateTripRequest.fromPartial({
      passengerId: 'p-1',
      idempotencyKey: 'key-1',
      source: { $case: 'quoteId', value: 'q-1' },
    });
    const decoded = trip.CreateTripRequest.decode(trip.CreateTripRequest.encode(request).finish());
    expect(decoded.source).toEqual({ $case: 'quoteId', value: 'q-1' });
  });
});
