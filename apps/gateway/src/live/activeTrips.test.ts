import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { advance, tripView } from '../test/tripFixtures.js';
import { ActiveTrips } from './activeTrips.js';

const T0 = Date.parse('2025-11-26T04:00:00Z');

describe('ActiveTrips: what a replica knows of the trips that are not over', () => {
  it('follows a ride: the driver is mapped to the passenger from assignment to the end', () => {
    const trips = new ActiveTrips();
    const requested = tripView('REQUESTED', T0);
    const driverId = randomUUID();
    expect(trips.observe(requested)).toEqual({ news: true, previous: undefined });
    expect(trips.size).toBe(1);

    const assigned = advance(requested, 'DRIVER_ASSIGNED', 1_000, { driverId });
    expect(trips.observe(assigned)).toEqual({ news: true, previous: requested });
    expect(trips.assignmentOf(driverId)).toEqual({ tripId: requested.id, passengerId: requested.passengerId, lastForwardedMs: 0 });
    trips.assignmentOf(driverId)!.lastForwardedMs = 42;

    const arrived = advance(assigned, 'ARRIVED');
    const started = advance(arrived, 'IN_TRIP');
    trips.observe(arrived);
    trips.observe(started);
    // The same assignment carries on, with what was forwarded already.
    expect(trips.assignmentOf(driverId)).toMatchObject({ tripId: requested.id, lastForwardedMs: 42 });

    expect(trips.observe(advance(started, 'COMPLETED')).news).toBe(true);
    expect(trips.assignmentOf(driverId)).toBeUndefined();
    expect(trips.size).toBe(0);
  });

  it('ignores a state already seen or older than one seen; two states in the same millisecond follow the lifecycle', () => {
    const trips = new ActiveTrips();
    const assigned = tripView('DRIVER_ASSIGNED', T0);
    const arrived = advance(assigned, 'ARRIVED');
    trips.observe(arrived);
    expect(trips.observe(arrived).news).toBe(false);
    expect(trips.observe(assigned)).toEqual({ news: false, previous: arrived });
    expect(trips.observe(advance(arrived, 'IN_TRIP', 0)).news).toBe(true);
    expect(trips.observe(advance(arrived, 'ARRIVED', 0)).news).toBe(false);
  });

  it('a trip that ended stays ended: a late fetched state of it is neither news nor current', () => {
    const trips = new ActiveTrips();
    const started = tripView('IN_TRIP', T0);
    trips.observe(started);
    trips.observe(advance(started, 'COMPLETED'));
    expect(trips.observe(started).news).toBe(false);
    expect(trips.current(started)).toBeUndefined();
    expect(trips.assignmentOf(started.driverId!)).toBeUndefined();
    expect(trips.size).toBe(0);
  });

  it('current() answers the newest state known: the fetched one, or a newer one events brought', () => {
    const trips = new ActiveTrips();
    const assigned = tripView('DRIVER_ASSIGNED', T0);
    // A replica started mid-trip learns the trip (and the driver's passenger) from a fetch.
    expect(trips.current(assigned)).toEqual(assigned);
    expect(trips.assignmentOf(assigned.driverId!)?.passengerId).toBe(assigned.passengerId);
    const arrived = advance(assigned, 'ARRIVED');
    trips.observe(arrived);
    expect(trips.current(assigned)).toEqual(arrived);
  });

  it('a driver who gives the trip back is unmapped; the trip is REQUESTED again', () => {
    const trips = new ActiveTrips();
    const assigned = tripView('DRIVER_ASSIGNED', T0);
    trips.observe(assigned);
    const backToDispatch = advance(assigned, 'REQUESTED', 1_000, { driverId: null });
    expect(trips.observe(backToDispatch)).toEqual({ news: true, previous: assigned });
    expect(trips.assignmentOf(assigned.driverId!)).toBeUndefined();
    expect(trips.size).toBe(1);
  });

  it('an offer is live unless it ended or its trip moved on', () => {
    const trips = new ActiveTrips();
    const requested = tripView('REQUESTED', T0);
    const [a, b] = [randomUUID(), randomUUID()];
    expect(trips.mayBeLive(requested.id, a)).toBe(true);
    trips.observe(requested);
    expect(trips.mayBeLive(requested.id, a)).toBe(true);
    trips.endOffer(requested.id, a);
    expect([trips.mayBeLive(requested.id, a), trips.mayBeLive(requested.id, b)]).toEqual([false, true]);
    trips.observe(advance(requested, 'DRIVER_ASSIGNED', 1_000, { driverId: b }));
    expect(trips.mayBeLive(requested.id, b)).toBe(false);
    const canceled = tripView('CANCELED', T0);
    trips.observe(canceled);
    expect(trips.mayBeLive(canceled.id, a)).toBe(false);
  });

  it('remembers a bounded number of ended trips', () => {
    const trips = new ActiveTrips(2);
    const ended = [1, 2, 3].map((i) => tripView('CANCELED', T0 + i));
    ended.forEach((t) => trips.observe(t));
    // The oldest is forgotten: a late state of it is news again; the others are still known ended.
    expect(trips.observe(advance(ended[0]!, 'REQUESTED', -1)).news).toBe(true);
    expect(trips.observe(advance(ended[2]!, 'REQUESTED', -1)).news).toBe(false);
  });
});
