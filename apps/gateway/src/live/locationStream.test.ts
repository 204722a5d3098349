import { randomUUID } from 'node:crypto';
import { createGrpcClient, createLogger, openChannel } from '@uitgo/kit';
import { driver } from '@uitgo/grpc';
import type { Channel } from 'nice-grpc';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DriverClient } from '../clients.js';
import { FakeDriverService } from '../test/fakeDriverService.js';
import { eventually } from '../test/testGateway.js';
import { LocationStream, type LocationStreamOptions } from './locationStream.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const pointAt = (lat: number): driver.LocationPoint => ({ location: { lat, lng: 106.8 }, recordedTime: new Date() });

describe('LocationStream: one StreamLocations call multiplexing every driver', () => {
  let fake: FakeDriverService;
  let channel: Channel;
  let client: DriverClient;
  let stream: LocationStream;

  const open = (options: Partial<LocationStreamOptions> = {}) =>
    (stream = new LocationStream(client, { maxBuffered: 1_000, rotateMs: 60_000, backoff: { initialMs: 10, maxMs: 50 }, logger, ...options }));

  beforeAll(async () => {
    fake = await FakeDriverService.start();
    channel = openChannel(fake.address);
    client = createGrpcClient(driver.DriverServiceDefinition, channel, { deadlineMs: 1_000 });
  });
  beforeEach(() => fake.resetStreams());
  // Each test's calls end before the next one counts streams.
  afterEach(() => stream?.close());
  afterAll(async () => {
    channel.close();
    await fake.stop();
  });

  it('sends the points of many drivers, in order, over one call made as the gateway service', async () => {
    open().start();
    const drivers = [randomUUID(), randomUUID(), randomUUID()];
    for (let i = 0; i < 300; i++) expect(stream.offer(drivers[i % 3]!, pointAt(10 + i / 1000))).toBe(true);
    await eventually(() => fake.streamed.length === 300);
    expect(new Set(fake.streamed.map((p) => p.stream))).toEqual(new Set([1]));
    expect(fake.streamed.map((p) => p.driverId)).toEqual(Array.from({ length: 300 }, (_, i) => drivers[i % 3]));
    expect(fake.streamed.map((p) => p.point!.location!.lat)).toEqual(Array.from({ length: 300 }, (_, i) => 10 + i / 1000));
    expect(fake.streamCallers).toEqual([{ deadlineAt: expect.any(Number), traceId: expect.any(String), caller: { userId: 'gateway', role: 'service' } }]);
    // Stays open past the client's unary deadline (1 s here): it is long-lived.
    expect(stream.connected).toBe(true);
  });

  it('reopens a failed call after a short backoff and carries on', async () => {
    open().start();
    fake.failStreamAfter = 5;
    const id = randomUUID();
    for (let i = 0; i < 5; i++) stream.offer(id, pointAt(10));
    await eventually(() => stream.stats.failures === 1);
    for (let i = 0; i < 5; i++) stream.offer(id, pointAt(11));
    await eventually(() => fake.streamed.filter((p) => p.stream > 1).length === 5);
    expect(stream.stats.reopened).toBe(1);
    expect(fake.streamed.filter((p) => p.point!.location!.lat === 11)).toHaveLength(5);
  });

  it('bounds its buffer: beyond it points are refused and counted, and the buffered ones are sent once the call opens', async () => {
    open({ maxBuffered: 3 });
    const id = randomUUID();
    expect([1, 2, 3, 4, 5].map((i) => stream.offer(id, pointAt(i)))).toEqual([true, true, true, false, false]);
    expect([stream.buffered, stream.stats.dropped]).toEqual([3, 2]);
    stream.start();
    await eventually(() => fake.streamed.length === 3);
    expect(fake.streamed.map((p) => p.point!.location!.lat)).toEqual([1, 2, 3]);
    expect(stream.offer(id, pointAt(4))).toBe(true);
  });

  it('rotates to a fresh call without losing points, and close drains, half-closes and gets the totals', async () => {
    open({ rotateMs: 1_000 }).start();
    const id = randomUUID();
    stream.offer(id, pointAt(1));
    await eventually(() => fake.streamed.length === 1);
    await eventually(() => stream.stats.reopened === 1, 5_000);
    stream.offer(id, pointAt(2));
    await eventually(() => fake.streamed.length === 2);
    expect(fake.streamed.map((p) => p.stream)).toEqual([1, 2]);
    // The rotated-out call answered with its totals.
    await eventually(() => stream.stats.accepted === 1);
    for (let i = 0; i < 50; i++) stream.offer(id, pointAt(3));
    await stream.close();
    expect(fake.streamed).toHaveLength(52);
    expect(stream.stats.accepted).toBe(52);
    expect(stream.offer(id, pointAt(4))).toBe(false);
  });
});
