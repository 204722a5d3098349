import { describe, expect, it } from 'vitest';
import { ClientFrame, ServerFrame } from './live.js';

describe('live frames', () => {
  it('parses a driver location frame and rejects unknown frame types', () => {
    const frame = { type: 'location', lat: 10.87, lng: 106.8, recordedAt: '2025-11-26T04:02:00Z' };
    expect(ClientFrame.parse(frame)).toEqual(frame);
    expect(ClientFrame.safeParse({ ...frame, lat: 200 }).success).toBe(false);
    expect(ClientFrame.safeParse({ ...frame, extra: 1 }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'subscribe' }).success).toBe(false);
  });

  it('describes the frames the server pushes', () => {
    const offerExpired = { type: 'offer_expired', tripId: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51' };
    expect(ServerFrame.parse(offerExpired)).toEqual(offerExpired);
    expect(ServerFrame.safeParse({ type: 'error', code: 'TOKEN_INVALID', message: 'bad token' }).success).toBe(true);
    expect(ServerFrame.safeParse({ type: 'error', code: 'NOPE', message: 'x' }).success).toBe(false);
  });
});
