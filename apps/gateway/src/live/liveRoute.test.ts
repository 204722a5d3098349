import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RevokedSessions } from '../auth/revokedSessions.js';
import { connectLive } from '../test/liveClient.js';
import { startTestGateway, type TestGateway } from '../test/testGateway.js';

const password = 'correct-Horse-42';
const fix = (lat: number) => ({ type: 'location', lat, lng: 106.8, headingDeg: 45, recordedAt: new Date().toISOString() });
/** The same instant written in Vietnam's offset (+07:00), as a phone there may send it. */
const inVietnam = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().replace('Z', '+07:00');

describe('WebSocket /api/v1/ws (real gateway, fake services)', () => {
  let gw: TestGateway;
  let driver: { id: string; token: string };
  let passenger: { id: string; token: string };

  const signIn = async (role: 1 | 2) => {
    const account = gw.fake.addAccount({ email: `${randomUUID()}@example.com`, password, role, fullName: 'Live' });
    const tokens = await gw.fake.openSession(account);
    return { id: account.id, token: tokens.accessToken };
  };

  beforeAll(async () => {
    gw = await startTestGateway({ LIVE_AUTH_TIMEOUT_MS: '200', LIVE_SESSION_RECHECK_MS: '1000' });
    driver = await signIn(2);
    passenger = await signIn(1);
  });
  beforeEach(() => gw.driver.resetStreams());
  afterAll(() => gw?.close());

  it('a driver authenticated by ?access_token= streams location frames over the shared gRPC stream', async () => {
    const other = await signIn(2);
    const a = await connectLive(gw.app, `?access_token=${driver.token}`);
    const b = await connectLive(gw.app);
    b.send({ type: 'auth', accessToken: other.token });
    expect(await a.next('ready')).toEqual({ type: 'ready', userId: driver.id, role: 'driver' });
    expect(await b.next('ready')).toMatchObject({ userId: other.id });
    for (let i = 0; i < 5; i++) {
      a.send(fix(10.8 + i / 100));
      b.send(fix(10.7));
    }
    const lastAt = new Date(Date.now() - 1_000);
    a.send({ ...fix(10.9), recordedAt: inVietnam(lastAt), speedKmh: 20, accuracyM: 4 });
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5_000;
      const poll = () => (gw.driver.streamed.length === 11 ? resolve() : Date.now() > deadline ? reject(new Error(`${gw.driver.streamed.length} points`)) : setTimeout(poll, 5));
      poll();
    });
    expect(gw.driver.streamCallers).toHaveLength(1);
    expect(gw.driver.streamCallers[0]!.caller).toEqual({ userId: 'gateway', role: 'service' });
    const ofA = gw.driver.streamed.filter((p) => p.driverId === driver.id);
    expect(ofA.map((p) => p.point!.location!.lat)).toEqual([10.8, 10.81, 10.82, 10.83, 10.84, 10.9]);
    expect(ofA.at(-1)!.point).toEqual({ location: { lat: 10.9, lng: 106.8 }, headingDeg: 45, speedKmh: 20, accuracyM: 4, recordedTime: lastAt });
    expect(gw.driver.streamed.filter((p) => p.driverId === other.id)).toHaveLength(5);
    a.ws.close();
    b.ws.close();
  });

  it('bad frames get an error frame and the connection stays open; ping gets pong', async () => {
    const c = await connectLive(gw.app, `?access_token=${driver.token}`);
    await c.next('ready');
    c.send('{not json');
    expect(await c.next('error')).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('JSON'), traceId: expect.any(String) });
    c.send({ ...fix(91), extra: true });
    const invalid = await c.next('error');
    expect(invalid.message).toMatch(/lat/);
    expect(invalid.message).toMatch(/extra/);
    c.send({ type: 'teleport' });
    expect((await c.next('error')).code).toBe('VALIDATION_FAILED');
    c.send({ type: 'auth', accessToken: driver.token });
    expect((await c.next('error')).message).toMatch(/already authenticated/);
    c.send({ type: 'ping' });
    expect(await c.next('pong')).toEqual({ type: 'pong' });
    expect(c.closed).toBeUndefined();
    expect(gw.driver.streamed).toHaveLength(0);
    c.ws.close();
  });

  it('a fix recorded too long ago or ahead of the clock gets an error frame naming recordedAt and is not forwarded', async () => {
    const c = await connectLive(gw.app, `?access_token=${driver.token}`);
    await c.next('ready');
    c.send({ ...fix(10.8), recordedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    expect(await c.next('error')).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Location frame skipped: recordedAt is more than 120 s old' });
    c.send({ ...fix(10.8), recordedAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await c.next('error')).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('in the future; check the phone clock') });
    c.send(fix(10.81));
    await expect.poll(() => gw.driver.streamed.length).toBe(1);
    expect(gw.driver.streamed[0]!.point!.location!.lat).toBe(10.81);
    expect(c.closed).toBeUndefined();
    c.ws.close();
  });

  it('a passenger may listen but not send locations', async () => {
    const c = await connectLive(gw.app);
    c.send({ type: 'auth', accessToken: passenger.token });
    expect(await c.next('ready')).toMatchObject({ role: 'passenger' });
    c.send(fix(10.8));
    expect(await c.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    expect(c.closed).toBeUndefined();
    c.ws.close();
  });

  it('closes with 4401 and an error frame: no token in time, a bad token, a first frame that is not auth', async () => {
    const silent = await connectLive(gw.app);
    expect(await silent.waitClosed()).toEqual({ code: 4401, reason: 'UNAUTHENTICATED' });
    expect(silent.frames).toEqual([expect.objectContaining({ type: 'error', code: 'UNAUTHENTICATED' })]);

    const forged = await connectLive(gw.app, `?access_token=${driver.token.slice(0, -4)}AAAA`);
    expect((await forged.waitClosed()).code).toBe(4401);
    expect(forged.frames).toEqual([expect.objectContaining({ type: 'error', code: 'TOKEN_INVALID' })]);

    const eager = await connectLive(gw.app);
    eager.send(fix(10.8));
    expect(await eager.waitClosed()).toEqual({ code: 4401, reason: 'UNAUTHENTICATED' });
    expect(gw.driver.streamed).toHaveLength(0);
  });

  it('frames sent while the query token is being checked are handled after it, in order', async () => {
    const c = await connectLive(gw.app, `?access_token=${driver.token}`);
    c.send({ type: 'ping' });
    c.send(fix(10.5));
    await c.next('ready');
    await c.next('pong');
    expect(c.frames.map((f) => f.type)).toEqual(['ready', 'pong']);
    await new Promise<void>((resolve) => {
      const poll = () => (gw.driver.streamed.length === 1 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    c.ws.close();
  });

  it('a session revoked by logout is closed by the periodic re-check', async () => {
    const account = gw.fake.addAccount({ email: `${randomUUID()}@example.com`, password, role: 2, fullName: 'Out' });
    const tokens = await gw.fake.openSession(account);
    const c = await connectLive(gw.app, `?access_token=${tokens.accessToken}`);
    await c.next('ready');
    const sid = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
    await new RevokedSessions(gw.kv, 60_000).revoke(sid);
    expect(await c.waitClosed(5_000)).toEqual({ code: 4401, reason: 'SESSION_REVOKED' });
    expect(c.frames.at(-1)).toMatchObject({ type: 'error', code: 'SESSION_REVOKED' });
  });

  it('the connection registry pushes frames to every socket of a user', async () => {
    const rider = await signIn(1);
    expect(gw.connections.sendTo(rider.id, { type: 'pong' })).toBe(0);
    const one = await connectLive(gw.app, `?access_token=${rider.token}`);
    const two = await connectLive(gw.app, `?access_token=${rider.token}`);
    await one.next('ready');
    await two.next('ready');
    const tripId = randomUUID();
    expect(gw.connections.sendTo(rider.id, { type: 'offer_expired', tripId })).toBe(2);
    expect(await one.next('offer_expired')).toEqual({ type: 'offer_expired', tripId });
    expect(await two.next('offer_expired')).toEqual({ type: 'offer_expired', tripId });
    one.ws.close();
    two.ws.close();
  });
});

describe('WebSocket shutdown', () => {
  it('closing the gateway closes every socket with 1001', async () => {
    const gw = await startTestGateway();
    const account = gw.fake.addAccount({ email: 'bye@example.com', password, role: 2, fullName: 'Bye' });
    const c = await connectLive(gw.app, `?access_token=${(await gw.fake.openSession(account)).accessToken}`);
    await c.next('ready');
    const pending = await connectLive(gw.app);
    await gw.close();
    expect((await c.waitClosed()).code).toBe(1001);
    expect((await pending.waitClosed()).code).toBe(1001);
    expect(gw.connections.size).toBe(0);
  });
});

describe('WebSocket /api/v1/ws and logout', () => {
  let gw: TestGateway;
  // No periodic re-check within the test: only the logout itself can close the socket.
  beforeAll(async () => (gw = await startTestGateway({ LIVE_SESSION_RECHECK_MS: '3600000' })));
  afterAll(() => gw?.close());

  it('logout closes the live sockets of that session at once, and only those', async () => {
    const account = gw.fake.addAccount({ email: `${randomUUID()}@example.com`, password, role: 1, fullName: 'Two phones' });
    const [phone, tablet] = await Promise.all([gw.fake.openSession(account), gw.fake.openSession(account)]);
    const onPhone = await connectLive(gw.app, `?access_token=${phone.accessToken}`);
    const onTablet = await connectLive(gw.app, `?access_token=${tablet.accessToken}`);
    await Promise.all([onPhone.next('ready'), onTablet.next('ready')]);
    const out = await gw.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${phone.accessToken}` } });
    expect(out.statusCode, out.body).toBe(204);
    expect(await onPhone.waitClosed(5_000)).toEqual({ code: 4401, reason: 'SESSION_REVOKED' });
    expect(gw.connections.sendTo(account.id, { type: 'pong' })).toBe(1);
    expect(await onTablet.next('pong')).toEqual({ type: 'pong' });
    onTablet.ws.close();
  });
});
