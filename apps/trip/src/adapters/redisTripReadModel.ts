import { createHash } from 'node:crypto';
import type { Trip } from '@uitgo/contracts';
import { closeRedis, openRedis, pingRedis, redisCommands, type RedisClient, type RedisCluster, type RedisHandle, type RedisTarget } from '@uitgo/kit/kv';
import type { ReadModelPage, TripListOwner, TripReadModel } from '../ports/tripReadModel.js';
import { belongsTo, listMember, ownersOf, parseMember } from '../readModel/readModelKeys.js';


/** Writes the trip only if it is newer than the stored one: KEYS[1] trip hash; ARGV updatedAt ms, JSON. */
const PUT_IF_NEWER = `
local stored = redis.call('HGET', KEYS[1], 'u')
if stored and tonumber(stored) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'j', ARGV[2])
return 1`;
const PUT_SHA = createHash('sha1').update(PUT_IF_NEWER).digest('hex');

/**
 * The read model in Redis or Redis Cluster. A trip is a hash `<prefix>trip:{<id>}` (its JSON
 * and updatedAt, written by a compare script); lists are sorted sets of `<created ms>:<id>`
 * read by lex range (exact keyset paging), one per owner and hash-tagged by owner
 * (`<prefix>list:{p:<id>}`), so each command touches one slot.
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

  private tripKey(id: string): string {
    return `${this.prefix}trip:{${id}}`;
  }

  private listKey(owner: TripListOwner): string {
    return owner.kind === 'all' ? `${this.prefix}list:{all}` : `${this.prefix}list:{${owner.kind === 'passenger' ? 'p' : 'd'}:${owner.id}}`;
  }

  async put(trip: Trip): Promise<boolean> {
    const keys = [this.tripKey(trip.id)];
    const args = [String(Date.parse(trip.updatedAt)), JSON.stringify(trip)];
    let written: unknown;
    try {
      written = await this.commands.evalSha(PUT_SHA, { keys, arguments: args });
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      written = await this.commands.eval(PUT_IF_NEWER, { keys, arguments: args });
    }
    // Lists only gain members here; a member the trip no longer belongs to is dropped when read.
    const member = listMember(trip.createdAt, trip.id);
    await Promise.all(ownersOf(trip).map((owner) => this.commands.zAdd(this.listKey(owner), { score: 0, value: member })));
    return written === 1;
  }

  async get(id: string): Promise<Trip | null> {
    const json = await this.commands.hGet(this.tripKey(id), 'j');
    return json ? (JSON.parse(json) as Trip) : null;
  }

  async list(owner: TripListOwner, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage> {
    const key = this.listKey(owner);
    const items: Trip[] = [];
    let from = after ? `(${listMember(after.createdAt, after.id)}` : '+';
    let incomplete = false;
    let last: string | undefined;
    // Stale members are skipped, so a page may take more than one read.
    for (let round = 0; round < 5 && items.length < limit; round++) {
      const want = limit - items.length;
      const members = await this.commands.zRange(key, from, '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: want + 1 } });
      const page = members.slice(0, want);
      const trips = await Promise.all(page.map((m) => this.get(parseMember(m).id)));
      const stale: string[] = [];
      page.forEach((member, i) => {
        const trip = trips[i];
        if (!trip) incomplete = true;
        else if (belongsTo(trip, owner)) items.push(trip);
        else stale.push(member);
      });
      if (stale.length > 0) await this.commands.zRem(key, stale);
      last = page.at(-1);
      if (members.length <= want) return { items, next: null, incomplete };
      from = `(${last!}`;
    }
    return { items, next: last ? parseMember(last) : null, incomplete };
  }

  async isComplete(): Promise<boolean> {
    return (await this.commands.get(`${this.prefix}complete`)) === '1';
  }

  async markComplete(): Promise<void> {
    await this.commands.set(`${this.prefix}complete`, '1');
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
