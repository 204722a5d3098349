import { randomUUID } from 'node:crypto';
import { TRIP_STATUSES, type Trip, type TripStatus } from '@uitgo/contracts';
import { closeRedis, openRedis, pingRedis, redisCommands, runRedisScript, type RedisClient, type RedisCluster, type RedisHandle, type RedisScript, type RedisTarget } from '@uitgo/kit/kv';
import type { FillLease, ReadModelPage, TripList, TripListOwner, TripReadModel } from '../ports/tripReadModel.js';
import { judgeEntry, listMember, ownersOf, parseMember, statusMember } from '../readModel/readModelKeys.js';
import { LIST_STATE, PUT_TRIP, RELEASE_LEASE, RENEW_LEASE } from './redisTripReadModelScripts.js';

/** A tombstone only has to outlive a race of two writes: a new one prunes those of trips created a day before its own. */
const TOMBSTONE_MS = 86_400_000;

/**
 * The read model in Redis or Redis Cluster. A trip is a hash `<prefix>trip:{<id>}` (its JSON,
 * updatedAt, status and driver, written by a compare script). Lists are sorted sets read by lex
 * range (exact keyset paging), hash-tagged by owner so each command touches one slot: the
 * owner's `<prefix>list:{p:<id>}` of `<created ms>:<id>`, and one per status
 * `<prefix>list:{p:<id>}:<STATUS>` of `<created ms>:<id>:<updated ms>`, and the owner's
 * tombstones `<prefix>list:{p:<id>}:lost` (see LIST_STATE).
 */
export class RedisTripReadModel implements TripReadModel {
  private constructor(
    private readonly redis: RedisHandle,
    private readonly prefix: string,
  ) {}

  static async connect(target: RedisTarget, prefix: string, onError: (error: Error) => void = () => {}): Promise<RedisTripReadModel> {
    return new RedisTripReadModel(await openRedis(target, onError), prefix);
  }

  private get commands(): RedisClient {
    return redisCommands(this.redis);
  }

  private run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return runRedisScript(this.commands, script, keys, args);
  }

  private tripKey(id: string): string {
    return `${this.prefix}trip:{${id}}`;
  }

  private listKey(owner: TripListOwner): string {
    return owner.kind === 'all' ? `${this.prefix}list:{all}` : `${this.prefix}list:{${owner.kind === 'passenger' ? 'p' : 'd'}:${owner.id}}`;
  }

  private statusKey(owner: TripListOwner, status: TripStatus): string {
    return `${this.listKey(owner)}:${status}`;
  }

  /** Where the completeness mark is; `v2`: a store completed before status lists were kept has none. */
  private get completeKey(): string {
    return `${this.prefix}complete:v2`;
  }

  async put(trip: Trip): Promise<boolean> {
    const args = [String(Date.parse(trip.updatedAt)), JSON.stringify(trip), trip.status, trip.driverId ?? ''];
    const [written, updatedAt, status, driverId, replaced] = (await this.run(PUT_TRIP, [this.tripKey(trip.id)], args)) as [number, string, TripStatus, string, string];
    // The lists follow the state that won, which is newer than this one when this one lost.
    const winner = { ...trip, status, driverId: driverId || null, updatedAt: new Date(Number(updatedAt)).toISOString() };
    const listed = (owner: TripListOwner, into: number) =>
      this.run(
        LIST_STATE,
        [this.listKey(owner), ...TRIP_STATUSES.map((s) => this.statusKey(owner, s)), `${this.listKey(owner)}:lost`],
        [listMember(trip.createdAt, trip.id), statusMember(winner), String(into), listMember(new Date(Date.parse(trip.createdAt) - TOMBSTONE_MS).toISOString(), '')],
      );
    const into = TRIP_STATUSES.indexOf(status) + 1;
    await Promise.all([
      ...ownersOf(winner).map((owner) => listed(owner, into)),
      ...(written === 1 && replaced && replaced !== winner.driverId ? [listed({ kind: 'driver', id: replaced }, 0)] : []),
    ]);
    return written === 1;
  }

  async get(id: string): Promise<Trip | null> {
    const json = await this.commands.hGet(this.tripKey(id), 'j');
    return json ? (JSON.parse(json) as Trip) : null;
  }

  async list(list: TripList, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage> {
    const key = list.status ? this.statusKey(list, list.status) : this.listKey(list);
    const items: Trip[] = [];
    let from = after ? `(${listMember(after.createdAt, after.id)}` : '+';
    let incomplete = false;
    let last: string | undefined;
    // Stale entries are skipped (and dropped), so a page may take more than one read.
    for (let round = 0; round < 5 && items.length < limit; round++) {
      const want = limit - items.length;
      const members = await this.commands.zRange(key, from, '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: want + 1 } });
      const page = members.slice(0, want);
      const trips = await Promise.all(page.map((m) => this.get(parseMember(m).id)));
      const stale: string[] = [];
      page.forEach((member, i) => {
        const entry = judgeEntry(member, trips[i] ?? null, list);
        if (entry === 'item') items.push(trips[i]!);
        else if (entry === 'stale') stale.push(member);
        else incomplete = true;
      });
      if (stale.length > 0) await this.commands.zRem(key, stale);
      last = page.at(-1);
      if (members.length <= want) return { items, next: null, incomplete };
      from = `(${last!}`;
    }
    return { items, next: last ? parseMember(last) : null, incomplete };
  }

  async isComplete(): Promise<boolean> {
    return (await this.commands.get(this.completeKey)) === '1';
  }

  async markComplete(): Promise<void> {
    await this.commands.set(this.completeKey, '1');
  }

  async leaseFill(ttlMs: number): Promise<FillLease | null> {
    const key = `${this.prefix}fill-lease`;
    const token = randomUUID();
    if ((await this.commands.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) !== 'OK') return null;
    return {
      renew: async () => (await this.run(RENEW_LEASE, [key], [token, String(ttlMs)])) === 1,
      release: async () => {
        await this.run(RELEASE_LEASE, [key], [token]);
      },
    };
  }

  async clear(): Promise<void> {
    const clients = this.redis.kind === 'client' ? [this.redis.client] : await Promise.all(this.redis.client.masters.map((m) => (this.redis.client as RedisCluster).nodeClient(m)));
    for (const client of clients) {
      for await (const keys of client.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 500 })) {
        // One DEL per key: in a cluster, keys of one node may still span slots.
        await Promise.all(keys.map((key) => client.unlink(key)));
      }
    }
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
