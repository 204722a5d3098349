import { describe, expect, it } from 'vitest';
import type { TripStatus } from '@uitgo/contracts';
import type { TripRecord } from './trip.js';
import { toTripView } from './trip.js';
import { DEFAULT_DISPATCH_POLICY, nextDispatchStep } from './dispatchPolicy.js';
import { mayView, partiesOf, transition, type Actor, type TripAction } from './tripStateMachine.js';
import { aTripRecord } from '../test/tripRecords.js';

const t0 = new Date('2025-11-26T04:00:00Z');
const t1 = new Date('2025-11-26T04:05:00Z');
const PASSENGER = '11111111-1111-4111-8111-111111111111';
const DRIVER = '22222222-2222-4222-8222-222222222222';
const OTHER_DRIVER = '33333333-3333-4333-8333-333333333333';
const fare = { amount: 50_000, currency: 'VND' as const, breakdown: [{ code: 'base', label: 'Base', amount: 50_000 }] };

function trip(status: TripStatus, driverId: string | null = status === 'REQUESTED' ? null : DRIVER): TripRecord {
  return aTripRecord({
    passengerId: PASSENGER,
    driverId,
    status,
    dropoff: { lat: 10.87, lng: 106.8 },
    quote: { amount: 120_000, surgeMultiplier: 1, breakdown: [] },
    distanceM: 15_000,
    durationS: 2_400,
    createdAt: t0,
    assignedAt: driverId ? t0 : null,
    version: 3,
  });
}

const passenger: Actor = { role: 'passenger', userId: PASSENGER };
const driver: Actor = { role: 'driver', userId: DRIVER };
const otherDriver: Actor = { role: 'driver', userId: OTHER_DRIVER };
const admin: Actor = { role: 'admin', userId: '55555555-5555-4555-8555-555555555555' };
const system: Actor = { role: 'system' };
const STATUSES: TripStatus[] = ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED', 'CANCELED'];

describe('tripStateMachine', () => {
  it('runs the happy path REQUESTED -> DRIVER_ASSIGNED -> ARRIVED -> IN_TRIP -> COMPLETED', () => {
    const assigned = transition(trip('REQUESTED'), { type: 'accept', driverId: DRIVER }, driver, t1, DRIVER);
    expect(assigned).toMatchObject({ event: 'trip.v1.assigned', next: { status: 'DRIVER_ASSIGNED', driverId: DRIVER, assignedAt: t1, updatedAt: t1 } });
    const minutesAfter = (min: number) => new Date(t1.getTime() + min * 60_000);
    const [t2, t3, t4] = [minutesAfter(1), minutesAfter(2), minutesAfter(3)];
    const arrived = transition(assigned.next, { type: 'arrive' }, driver, t2);
    expect(arrived).toMatchObject({ event: 'trip.v1.arrived', next: { status: 'ARRIVED', arrivedAt: t2, updatedAt: t2 } });
    const started = transition(arrived.next, { type: 'start' }, driver, t3);
    expect(started).toMatchObject({ event: 'trip.v1.started', next: { status: 'IN_TRIP', startedAt: t3 } });
    const completed = transition(started.next, { type: 'complete', fare, distanceM: 14_200 }, driver, t4);
    expect(completed).toMatchObject({ event: 'trip.v1.completed', freeDriver: DRIVER, next: { status: 'COMPLETED', fare, distanceM: 14_200, completedAt: t4 } });
  });

  it('lets only the offered driver accept, and only a REQUESTED trip', () => {
    expect(() => transition(trip('REQUESTED'), { type: 'accept', driverId: OTHER_DRIVER }, otherDriver, t1, DRIVER)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => transition(trip('REQUESTED'), { type: 'accept', driverId: DRIVER }, passenger, t1, DRIVER)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => transition(trip('CANCELED', null), { type: 'accept', driverId: DRIVER }, driver, t1, DRIVER)).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
  });

  it('lets the offered driver decline a REQUESTED trip, which goes back to dispatch unchanged', () => {
    const declined = transition(trip('REQUESTED'), { type: 'decline' }, otherDriver, t1, OTHER_DRIVER);
    expect(declined).toMatchObject({ event: 'trip.v1.offer_expired', redispatch: true, next: trip('REQUESTED') });
    expect(() => transition(trip('REQUESTED'), { type: 'decline' }, driver, t1, OTHER_DRIVER)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => transition(trip('DRIVER_ASSIGNED', OTHER_DRIVER), { type: 'decline' }, otherDriver, t1, OTHER_DRIVER)).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
  });

  it('lets only the assigned driver drive the trip, in order', () => {
    const actions: [TripAction, TripStatus][] = [[{ type: 'arrive' }, 'DRIVER_ASSIGNED'], [{ type: 'start' }, 'ARRIVED'], [{ type: 'complete', fare, distanceM: 1 }, 'IN_TRIP']];
    for (const [action, from] of actions) {
      for (const status of STATUSES) {
        const run = () => transition(trip(status, DRIVER), action, driver, t1);
        if (status === from) expect(run).not.toThrow();
        else expect(run).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
      }
      for (const actor of [otherDriver, passenger, admin, system]) {
        expect(() => transition(trip(from, DRIVER), action, actor, t1)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
      }
    }
  });

  it('lets the passenger cancel before IN_TRIP', () => {
    for (const status of STATUSES) {
      const run = () => transition(trip(status), { type: 'cancel', reason: 'changed my mind' }, passenger, t1);
      if (['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED'].includes(status)) {
        expect(run()).toMatchObject({ event: 'trip.v1.canceled', next: { status: 'CANCELED', canceledBy: 'passenger', cancelReason: 'changed my mind', canceledAt: t1 } });
      } else expect(run).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
    }
    expect(transition(trip('ARRIVED'), { type: 'cancel' }, passenger, t1).freeDriver).toBe(DRIVER);
    expect(transition(trip('REQUESTED'), { type: 'cancel' }, passenger, t1)).toMatchObject({ freeDriver: null, next: { cancelReason: null } });
  });

  it('sends the trip back to dispatch when the assigned driver gives it up', () => {
    const back = transition(trip('ARRIVED'), { type: 'cancel', reason: 'flat tyre' }, driver, t1);
    expect(back).toMatchObject({ event: 'trip.v1.requested', redispatch: true, freeDriver: DRIVER, next: { status: 'REQUESTED', driverId: null, assignedAt: null, canceledAt: null } });
    expect(() => transition(trip('IN_TRIP'), { type: 'cancel' }, driver, t1)).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
    expect(() => transition(trip('DRIVER_ASSIGNED'), { type: 'cancel' }, otherDriver, t1)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('starts a new dispatch round when the assigned driver gives the trip back, however long after the request', () => {
    // Requested at t0, two attempts, accepted, handed back 3 minutes later (past the 2 minutes a round may take).
    const handedBackAt = new Date(t0.getTime() + 180_000);
    const assigned = { ...trip('DRIVER_ASSIGNED'), dispatchAttempts: 2 };
    const back = transition(assigned, { type: 'cancel' }, driver, handedBackAt);
    expect(back.next).toMatchObject({ status: 'REQUESTED', dispatchAttempts: 2, dispatchStartedAt: handedBackAt, dispatchAttemptsBeforeRound: 2 });
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, back.next, handedBackAt)).toEqual({ kind: 'search', attempt: 3, radiusM: 2_000 });
    // The other transitions leave the round alone.
    expect(transition(assigned, { type: 'arrive' }, driver, handedBackAt).next).toMatchObject({ dispatchStartedAt: t0, dispatchAttemptsBeforeRound: 0 });
    expect(transition(trip('REQUESTED'), { type: 'decline' }, otherDriver, handedBackAt, OTHER_DRIVER).next).toMatchObject({ dispatchStartedAt: t0, dispatchAttemptsBeforeRound: 0 });
  });

  it('dates every change after the state it replaces, even in the same millisecond or on a clock behind', () => {
    const accepted = transition(trip('REQUESTED'), { type: 'accept', driverId: DRIVER }, driver, t0, DRIVER);
    expect(accepted.next).toMatchObject({ updatedAt: new Date(t0.getTime() + 1), assignedAt: new Date(t0.getTime() + 1) });
    const arrived = transition(accepted.next, { type: 'arrive' }, driver, t0);
    expect(arrived.next).toMatchObject({ updatedAt: new Date(t0.getTime() + 2), arrivedAt: new Date(t0.getTime() + 2) });
    // A replica whose clock is a second behind still moves the trip forward in time.
    const behind = new Date(t0.getTime() - 1_000);
    const canceled = transition(arrived.next, { type: 'cancel' }, passenger, behind);
    expect(canceled.next).toMatchObject({ updatedAt: new Date(t0.getTime() + 3), canceledAt: new Date(t0.getTime() + 3) });
    const handedBack = transition(arrived.next, { type: 'cancel' }, driver, t0);
    expect(handedBack.next).toMatchObject({ updatedAt: new Date(t0.getTime() + 3), dispatchStartedAt: new Date(t0.getTime() + 3) });
    // A clock ahead of the stored state is taken as it is.
    expect(transition(arrived.next, { type: 'start' }, driver, t1).next).toMatchObject({ updatedAt: t1, startedAt: t1 });
  });

  it('lets an admin cancel any time before COMPLETED, and the platform only while REQUESTED', () => {
    for (const status of STATUSES) {
      const byAdmin = () => transition(trip(status), { type: 'cancel' }, admin, t1);
      if (status === 'COMPLETED' || status === 'CANCELED') expect(byAdmin).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
      else expect(byAdmin().next).toMatchObject({ status: 'CANCELED', canceledBy: 'admin' });
      const bySystem = () => transition(trip(status), { type: 'cancel', reason: 'NO_DRIVER_AVAILABLE' }, system, t1);
      if (status === 'REQUESTED') expect(bySystem().next).toMatchObject({ canceledBy: 'system', cancelReason: 'NO_DRIVER_AVAILABLE' });
      else expect(bySystem).toThrow(expect.objectContaining({ code: 'INVALID_TRIP_TRANSITION' }));
    }
  });

  it('tells who is who and who may see the trip', () => {
    expect(partiesOf(trip('IN_TRIP'), driver)).toEqual(['assigned_driver']);
    expect(partiesOf(trip('REQUESTED'), otherDriver, OTHER_DRIVER)).toEqual(['offered_driver']);
    expect(partiesOf(trip('REQUESTED'), system)).toEqual(['system']);
    expect(mayView(trip('IN_TRIP'), passenger)).toBe(true);
    expect(mayView(trip('IN_TRIP'), admin)).toBe(true);
    expect(mayView(trip('IN_TRIP'), otherDriver)).toBe(false);
    expect(mayView(trip('IN_TRIP'), { role: 'passenger', userId: OTHER_DRIVER })).toBe(false);
    expect(mayView(trip('REQUESTED'), otherDriver, OTHER_DRIVER)).toBe(true);
  });

  it('shows a trip as the API does', () => {
    const view = toTripView({ ...trip('CANCELED', null), canceledAt: t1, cancelReason: 'NO_DRIVER_AVAILABLE', canceledBy: 'system' });
    expect(view).toEqual({
      id: '44444444-4444-4444-8444-444444444444',
      passengerId: PASSENGER,
      driverId: null,
      status: 'CANCELED',
      vehicleType: 'car4',
      pickup: { lat: 10.77, lng: 106.69 },
      dropoff: { lat: 10.87, lng: 106.8 },
      quote: { amount: 120_000, currency: 'VND', surgeMultiplier: 1 },
      fare: null,
      distanceM: 15_000,
      createdAt: t0.toISOString(),
      updatedAt: t0.toISOString(),
      canceledAt: t1.toISOString(),
      cancelReason: 'NO_DRIVER_AVAILABLE',
      canceledBy: 'system',
    });
  });
});
