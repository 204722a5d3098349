import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeReal, infraEndpoints, testTlsCaFile } from '../testing/infra.js';
import type { BusLogger } from './busSupport.js';
import { eventBusContract, waitUntil } from './eventBus.contract.js';
import type { EventBus } from './eventBus.js';
import { createEventBus } from './index.js';
import { loadKafka, type KafkaMessage } from './kafkaClient.js';
import type { KafkaEventBus, KafkaEventBusOptions } from './kafkaEventBus.js';

const testOptions = (brokers: string[]): { kind: 'kafka' } & KafkaEventBusOptions => ({
  kind: 'kafka',
  brokers,
  clientId: 'uitgo-kit-test',
  // The broker's minimum session; fast heartbeats make joins and rebalances quick.
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  retryBackoff: { initialMs: 100, maxMs: 1_000 },
  requestTimeoutMs: 2_000,
});

await describeReal('KafkaEventBus', ['kafka'], () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

  eventBusContract('kafka', {
    make: () => createEventBus(testOptions(brokers)),
    createTopics: (bus: EventBus, topics, partitions) => (bus as KafkaEventBus).ensureTopics(topics, partitions),
    unreachable: () => createEventBus({ ...testOptions(['127.0.0.1:1']), requestTimeoutMs: 1_000 }),
    timeoutMs: 20_000,
  });

  describe('KafkaEventBus records', () => {
    const closing: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const close of closing.splice(0)) await close();
    });

    it('keys records by event key and carries type, id and trace id in headers', async () => {
      const bus = await createEventBus(testOptions(brokers));
      closing.push(() => bus.close());
      const topic = `records-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const event = { id: randomUUID(), type: 'trip.v1.Requested', key: 'trip-42', occurredAt: new Date().toISOString(), traceId: 'abc123', payload: { fare: 10 } };
      await bus.publish(topic, [event]);

      const { Kafka } = await loadKafka();
      const raw = new Kafka({ kafkaJS: { brokers, clientId: 'raw-reader' } }).consumer({
        kafkaJS: { groupId: `raw-${randomUUID().slice(0, 8)}`, fromBeginning: true, sessionTimeout: 6_000, heartbeatInterval: 500, logLevel: 1 },
      });
      closing.push(() => raw.disconnect());
      const records: KafkaMessage[] = [];
      await raw.connect();
      await raw.subscribe({ topics: [topic] });
      await raw.run({ eachBatch: async ({ batch }) => void records.push(...batch.messages) });
      await waitUntil(() => records.length > 0, 20_000, 'the raw record');
      const [record] = records;
      expect(record?.key?.toString()).toBe('trip-42');
      expect(JSON.parse(record!.value!.toString())).toEqual(event);
      const header = (name: string) => String(record?.headers?.[name]);
      expect([header('event-type'), header('event-id'), header('trace-id')]).toEqual([event.type, event.id, 'abc123']);
    });

    it('commit: false handles events without committing a position (the group subscribing again from the beginning sees them again)', async () => {
      const bus = await createEventBus(testOptions(brokers));
      closing.push(() => bus.close());
      const topic = `no-commit-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const groupId = `no-commit-${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const handle = async (events: { id: string }[]) => void seen.push(...events.map((e) => e.id));
      const first = await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, commit: false, handle });
      const event = { id: randomUUID(), type: 'test.v1.no_commit', key: 'k', occurredAt: new Date().toISOString(), payload: {} };
      await bus.publish(topic, [event]);
      await waitUntil(() => seen.length === 1, 20_000, 'the event');
      await first.stop();
      const again = await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handle });
      closing.unshift(() => again.stop());
      await waitUntil(() => seen.length === 2, 20_000, 'the event a second time');
      expect(seen).toEqual([event.id, event.id]);
    });

    /** The group's committed offset of partition 0 (-1 when none), read with a separate admin client. */
    async function committedOffset(groupId: string, topic: string): Promise<number> {
      const { Kafka } = await loadKafka();
      const admin = new Kafka({ kafkaJS: { brokers, clientId: 'offset-reader' } }).admin();
      await admin.connect();
      try {
        const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
      } finally {
        await admin.disconnect();
      }
    }

    it('commits handled offsets together once per commitIntervalMs, and what is left at stop', async () => {
      const bus = await createEventBus({ ...testOptions(brokers), commitIntervalMs: 60_000 });
      closing.push(() => bus.close());
      const topic = `commit-interval-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const groupId = `commit-interval-${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const subscription = await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handle: async (events) => void seen.push(...events.map((e) => e.id)) });
      for (let i = 0; i < 3; i++) {
        await bus.publish(topic, [{ id: randomUUID(), type: 'test.v1.commit', key: 'k', occurredAt: new Date().toISOString(), payload: { i } }]);
        await waitUntil(() => seen.length === i + 1, 20_000, `event ${i}`);
      }
      // Handled, but the interval has not passed: nothing is committed yet.
      expect(await committedOffset(groupId, topic)).toBe(-1);
      await subscription.stop();
      expect(await committedOffset(groupId, topic)).toBe(3);
    });

    it('commit: false commits nothing, neither its start nor at stop (a throwaway group leaves no offsets behind)', async () => {
      const bus = await createEventBus({ ...testOptions(brokers), commitIntervalMs: 50 });
      closing.push(() => bus.close());
      const topic = `no-commit-start-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const groupId = `no-commit-start-${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const subscription = await bus.subscribe({ groupId, topics: [topic], commit: false, handle: async (events) => void seen.push(...events.map((e) => e.id)) });
      await bus.publish(topic, [{ id: randomUUID(), type: 'test.v1.no_commit', key: 'k', occurredAt: new Date().toISOString(), payload: {} }]);
      await waitUntil(() => seen.length === 1, 20_000, 'the event');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await subscription.stop();
      expect(await committedOffset(groupId, topic)).toBe(-1);
    });

    it("commits a new group's start at once, so a restart before its first event resumes there", async () => {
      const bus = await createEventBus({ ...testOptions(brokers), commitIntervalMs: 50 });
      closing.push(() => bus.close());
      const topic = `commit-start-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const earlier = { id: randomUUID(), type: 'test.v1.before', key: 'k', occurredAt: new Date().toISOString(), payload: {} };
      await bus.publish(topic, [earlier, { ...earlier, id: randomUUID() }]);
      const groupId = `commit-start-${randomUUID().slice(0, 8)}`;
      const subscription = await bus.subscribe({ groupId, topics: [topic], handle: async () => undefined });
      closing.unshift(() => subscription.stop());
      // No event was handled: the offset committed is where the group started, the end at its join.
      const deadline = Date.now() + 20_000;
      while ((await committedOffset(groupId, topic)) !== 2) {
        if (Date.now() > deadline) throw new Error('the start offset was not committed within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    it('resumes a group that joined an empty partition and stopped before its first event at offset 0, not at the later end', async () => {
      const bus = await createEventBus(testOptions(brokers));
      closing.push(() => bus.close());
      const topic = `commit-zero-${randomUUID().slice(0, 8)}`;
      await bus.ensureTopics([topic], 1);
      const groupId = `commit-zero-${randomUUID().slice(0, 8)}`;
      const first = await bus.subscribe({ groupId, topics: [topic], handle: async () => undefined });
      await first.stop();
      expect(await committedOffset(groupId, topic)).toBe(0);
      // Published while the group is down: its restart must start at 0 (committed), not at the end.
      const missed = { id: randomUUID(), type: 'test.v1.missed', key: 'k', occurredAt: new Date().toISOString(), payload: {} };
      await bus.publish(topic, [missed]);
      const seen: string[] = [];
      const again = await bus.subscribe({ groupId, topics: [topic], handle: async (events) => void seen.push(...events.map((e) => e.id)) });
      closing.unshift(() => again.stop());
      await waitUntil(() => seen.length > 0, 20_000, 'the event published while the group was down');
      expect(seen).toEqual([missed.id]);
    });

    it('routes the client warnings and errors to the logger', async () => {
      const entries: { level: string; msg: string | undefined }[] = [];
      const logger: BusLogger = {
        info: (_, msg) => entries.push({ level: 'info', msg }),
        warn: (_, msg) => entries.push({ level: 'warn', msg }),
        error: (_, msg) => entries.push({ level: 'error', msg }),
      };
      const bus = await createEventBus({ ...testOptions(['127.0.0.1:1']), requestTimeoutMs: 1_000, logger });
      closing.push(() => bus.close());
      await expect(bus.ping()).rejects.toThrow();
      await waitUntil(() => entries.some((e) => e.msg?.includes('127.0.0.1:1')), 5_000, 'a connection failure log');
      expect(entries.every((e) => e.level !== 'info')).toBe(true);
    });
  });
});

// In-transit encryption (MSK's TLS listener): `pnpm infra:up` gives the broker an SSL listener
// whose certificate its own CA signed.
await describeReal('KafkaEventBus over TLS', ['kafka-tls'], () => {
  const brokers = infraEndpoints('kafka-tls');
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('publishes and consumes over TLS, verifying the broker against the configured CA', async () => {
    const bus = await createEventBus({ ...testOptions(brokers), ssl: { caFile: testTlsCaFile() } });
    closing.push(() => bus.close());
    await bus.ping();
    const topic = `tls-${randomUUID().slice(0, 8)}`;
    await bus.ensureTopics([topic], 1);
    const received: string[] = [];
    const subscription = await bus.subscribe({ groupId: `tls-${randomUUID().slice(0, 8)}`, topics: [topic], fromBeginning: true, handle: async (events) => void received.push(...events.map((e) => e.id)) });
    closing.unshift(() => subscription.stop());
    const event = { id: randomUUID(), type: 'test.v1.tls', key: 'k', occurredAt: new Date().toISOString(), payload: {} };
    await bus.publish(topic, [event]);
    await waitUntil(() => received.includes(event.id), 20_000, 'the event over TLS');
  });

  it('refuses a broker whose certificate it cannot verify', async () => {
    // The system's CA store does not know the test CA: the handshake fails, nothing is trusted.
    const bus = await createEventBus({ ...testOptions(brokers), requestTimeoutMs: 2_000, ssl: {} });
    closing.push(() => bus.close());
    await expect(bus.ping()).rejects.toThrow();
  });
});
