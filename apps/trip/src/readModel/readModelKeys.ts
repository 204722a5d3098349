import type { Trip } from '@uitgo/contracts';
import type { TripList, TripListOwner } from '../ports/tripReadModel.js';

const pad = (ms: number): string => String(ms).padStart(15, '0');

/** A list member sorts by creation time then id, as text: `<ms, 15 digits>:<id>`. */
export const listMember = (createdAt: string, id: string): string => `${pad(Date.parse(createdAt))}:${id}`;

/**
 * A status list's member also names the state it was listed for: `<created>:<id>:<updatedAt>`.
 * It sorts where the trip's list member does, so both page with the same cursor, and a list
 * can tell an entry older than another of the same trip.
 */
export const statusMember = (trip: Pick<Trip, 'createdAt' | 'id' | 'updatedAt'>): string => `${listMember(trip.createdAt, trip.id)}:${pad(Date.parse(trip.updatedAt))}`;

export function parseMember(member: string): { createdAt: string; id: string } {
  const [ms, id] = member.split(':');
  return { createdAt: new Date(Number(ms)).toISOString(), id: id! };
}

/** The updatedAt (ms) a status list's member was listed for; undefined for an owner list's member. */
export function memberVersion(member: string): number | undefined {
  const version = member.split(':')[2];
  return version === undefined ? undefined : Number(version);
}

/** The lists a trip belongs to while it has these owners. */
export function ownersOf(trip: Pick<Trip, 'passengerId' | 'driverId'>): TripListOwner[] {
  return [{ kind: 'all' }, { kind: 'passenger', id: trip.passengerId }, ...(trip.driverId ? [{ kind: 'driver' as const, id: trip.driverId }] : [])];
}

/** Whether the trip still belongs to the owner's list (a driver who gave a trip back no longer owns it). */
export function belongsTo(trip: Pick<Trip, 'passengerId' | 'driverId'>, owner: TripListOwner): boolean {
  if (owner.kind === 'all') return true;
  return owner.kind === 'passenger' ? trip.passengerId === owner.id : trip.driverId === owner.id;
}

/**
 * What a list's entry is worth once its trip is read: an `item` of the page; `stale` (the trip
 * left the list since: drop the entry); or `lost` (the trip is not stored, or is stored older
 * than the entry says, so the store lost data and the page cannot be trusted).
 */
export function judgeEntry(member: string, trip: Trip | null, list: TripList): 'item' | 'stale' | 'lost' {
  if (!trip) return 'lost';
  if (belongsTo(trip, list) && (list.status === undefined || trip.status === list.status)) return 'item';
  const version = memberVersion(member);
  return version !== undefined && version > Date.parse(trip.updatedAt) ? 'lost' : 'stale';
}
