import type { Trip } from '@uitgo/contracts';
import type { FillLease, ReadModelPage, TripList, TripReadModel } from '../ports/tripReadModel.js';
import { belongsTo, judgeEntry, listMember, ownersOf, parseMember, statusMember } from '../readModel/readModelKeys.js';

const keyOf = (list: TripList) => `${list.kind === 'all' ? 'all' : `${list.kind}:${list.id}`}${list.status ? `:${list.status}` : ''}`;

/** The read model in process (embedded mode): the same rules as the Redis one, in maps. */
export class MemoryTripReadModel implements TripReadModel {
  private readonly trips = new Map<string, Trip>();
  private readonly lists = new Map<string, Set<string>>();
  private complete = false;
  private lease: { until: number } | undefined;

  private members(list: TripList): Set<string> {
    let members = this.lists.get(keyOf(list));
    if (!members) this.lists.set(keyOf(list), (members = new Set()));
    return members;
  }

  async put(trip: Trip): Promise<boolean> {
    const stored = this.trips.get(trip.id);
    if (stored && Date.parse(stored.updatedAt) >= Date.parse(trip.updatedAt)) return false;
    this.trips.set(trip.id, structuredClone(trip));
    // No put interleaves here, so the lists follow the trip at once (the Redis scripts converge to the same).
    for (const owner of stored ? ownersOf(stored) : []) {
      this.members({ ...owner, status: stored!.status }).delete(statusMember(stored!));
      if (!belongsTo(trip, owner)) this.members(owner).delete(listMember(trip.createdAt, trip.id));
    }
    for (const owner of ownersOf(trip)) {
      this.members(owner).add(listMember(trip.createdAt, trip.id));
      this.members({ ...owner, status: trip.status }).add(statusMember(trip));
    }
    return true;
  }

  async get(id: string): Promise<Trip | null> {
    const trip = this.trips.get(id);
    return trip ? structuredClone(trip) : null;
  }

  async list(list: TripList, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage> {
    const stored = this.lists.get(keyOf(list)) ?? new Set<string>();
    const from = after ? listMember(after.createdAt, after.id) : undefined;
    const members = [...stored].filter((m) => from === undefined || m < from).sort().reverse();
    const items: Trip[] = [];
    let last: string | undefined;
    let incomplete = false;
    for (const member of members) {
      if (items.length === limit) break;
      last = member;
      const trip = this.trips.get(parseMember(member).id) ?? null;
      const entry = judgeEntry(member, trip, list);
      if (entry === 'item') items.push(structuredClone(trip!));
      else if (entry === 'stale') stored.delete(member);
      else incomplete = true;
    }
    const more = last !== undefined && members.indexOf(last) < members.length - 1;
    return { items, next: more && last ? parseMember(last) : null, incomplete };
  }

  async isComplete(): Promise<boolean> {
    return this.complete;
  }

  async markComplete(): Promise<void> {
    this.complete = true;
  }

  async leaseFill(ttlMs: number): Promise<FillLease | null> {
    if (this.lease && this.lease.until > Date.now()) return null;
    const lease = (this.lease = { until: Date.now() + ttlMs });
    return {
      renew: async () => {
        if (this.lease !== lease || lease.until <= Date.now()) return false;
        lease.until = Date.now() + ttlMs;
        return true;
      },
      release: async () => {
        if (this.lease === lease) this.lease = undefined;
      },
    };
  }

  async clear(): Promise<void> {
    this.complete = false;
    this.lease = undefined;
    this.trips.clear();
    this.lists.clear();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
