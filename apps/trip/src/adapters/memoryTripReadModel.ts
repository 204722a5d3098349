import type { Trip } from '@uitgo/contracts';
import type { ReadModelPage, TripListOwner, TripReadModel } from '../ports/tripReadModel.js';
import { belongsTo, listMember, ownersOf, parseMember } from '../readModel/readModelKeys.js';

const ownerKey = (owner: TripListOwner) => (owner.kind === 'all' ? 'all' : `${owner.kind}:${owner.id}`);

/** The read model in process (embedded mode): the same rules as the Redis one, in maps. */
export class MemoryTripReadModel implements TripReadModel {
  private readonly trips = new Map<string, Trip>();
  private readonly lists = new Map<string, Set<string>>();
  private complete = false;

  async put(trip: Trip): Promise<boolean> {
    const stored = this.trips.get(trip.id);
    if (stored && Date.parse(stored.updatedAt) >= Date.parse(trip.updatedAt)) return false;
    this.trips.set(trip.id, structuredClone(trip));
    for (const owner of ownersOf(trip)) {
      let list = this.lists.get(ownerKey(owner));
      if (!list) this.lists.set(ownerKey(owner), (list = new Set()));
      list.add(listMember(trip.createdAt, trip.id));
    }
    return true;
  }

  async get(id: string): Promise<Trip | null> {
    const trip = this.trips.get(id);
    return trip ? structuredClone(trip) : null;
  }

  async list(owner: TripListOwner, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage> {
    const list = this.lists.get(ownerKey(owner)) ?? new Set<string>();
    const from = after ? listMember(after.createdAt, after.id) : undefined;
    const members = [...list].filter((m) => from === undefined || m < from).sort().reverse();
    const items: Trip[] = [];
    let last: string | undefined;
    let incomplete = false;
    for (const member of members) {
      if (items.length === limit) break;
      last = member;
      const trip = this.trips.get(parseMember(member).id);
      if (trip && belongsTo(trip, owner)) items.push(structuredClone(trip));
      else if (trip) list.delete(member);
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

  async clear(): Promise<void> {
    this.complete = false;
    this.trips.clear();
    this.lists.clear();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
