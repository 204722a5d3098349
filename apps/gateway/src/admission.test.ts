import { describe, expect, it } from 'vitest';
import { gatewayAdmission, SHEDDABLE_METHODS } from './admission.js';

describe('gateway admission control', () => {
  it('may refuse new trips, quotes, searches and reads, never the steps of a trip already running', () => {
    const admission = gatewayAdmission(1_000)!;
    for (const method of ['CreateTrip', 'QuoteTrip', 'BatchGetTrips', 'ListTrips']) expect(admission.governs(`/uitgo.trip.v1.TripService/${method}`)).toBe(true);
    expect(admission.governs('/uitgo.driver.v1.DriverService/BatchSearchNearbyDrivers')).toBe(true);
    for (const method of ['AcceptTrip', 'DeclineTrip', 'ArriveTrip', 'StartTrip', 'CompleteTrip', 'CancelTrip', 'RateTrip']) {
      expect(admission.governs(`/uitgo.trip.v1.TripService/${method}`)).toBe(false);
    }
    for (const method of ['UpdateLocation', 'RecordLocations', 'GoOnline', 'GoOffline']) expect(admission.governs(`/uitgo.driver.v1.DriverService/${method}`)).toBe(false);
    expect(admission.governs('/uitgo.auth.v1.AuthService/Login')).toBe(false);
    expect(admission.governs('/uitgo.trip.v1.TripService/ListDriverOffers')).toBe(false);
    expect(SHEDDABLE_METHODS.size).toBe(14);
  });

  it('is off with a budget of 0', () => {
    expect(gatewayAdmission(0)).toBeUndefined();
  });
});
