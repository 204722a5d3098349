import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, TOPICS, eventTypesOf, makeEvent, parseEvent, topicOf } from './events.js';

const tripId = '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51';
const driverId = '1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516';

describe('event catalogue', () => {
  it('puts each event type on its topic', () => {
    expect(topicOf('trip.v1.requested')).toBe('uitgo.trip.v1');
    expect(topicOf('trip.v1.rated')).toBe('uitgo.trip.v1');
    expect(topicOf('driver.v1.online')).toBe('uitgo.driver.v1');
    expect(topicOf('driver.v1.location_recorded')).toBe('uitgo.driver-location.v1');
    expect(topicOf('driver.v1.trip_position')).toBe('uitgo.driver-trip-position.v1');
    expect(topicOf('user.v1.verification_decided')).toBe('uitgo.identity.v1');
    expect(eventTypesOf(TOPICS.trip)).toHaveLength(9);
    expect(topicOf('user.v1.profile_updated')).toBe('uitgo.identity.v1');
    expect(EVENT_TYPES).toHaveLength(17);
  });
});

describe('makeEvent / parseEvent', () => {
  it('round-trips through JSON with a typed payload', () => {
    const event = makeEvent(
      'driver.v1.location_recorded',
      driverId,
      { driverId, tripId: null, points: [{ lat: 10.87, lng: 106.8, recordedAt: '2025-11-26T04:02:00.000Z' }] },
      'trace-1',
    );
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.traceId).toBe('trace-1');
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed).toEqual(event);
    if (parsed.type === 'driver.v1.location_recorded') expect(parsed.payload.points[0]?.lat).toBe(10.87);
  });

  it('omits traceId when none is given', () => {
    const event = makeEvent('trip.v1.offer_expired', tripId, { tripId, driverId, reason: 'timeout' });
    expect('traceId' in event).toBe(false);
  });

  it('rejects a payload that does not match its type', () => {
    const bad = { tripId, driverId, reason: 'bored' } as unknown as Parameters<typeof makeEvent<'trip.v1.offer_expired'>>[2];
    expect(() => makeEvent('trip.v1.offer_expired', tripId, bad)).toThrow();
    const wrongPayload = { ...makeEvent('trip.v1.offer_expired', tripId, { tripId, driverId, reason: 'declined' }), type: 'trip.v1.rated' };
    expect(() => parseEvent(wrongPayload)).toThrow();
    expect(() => parseEvent({ ...wrongPayload, type: 'trip.v9.unknown' })).toThrow();
  });
});
