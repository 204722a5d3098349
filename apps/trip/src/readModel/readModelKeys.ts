import type { Trip } from '@uitgo/contracts';
import type { TripListOwner } from '../ports/tripReadModel.js';

/** A list member sorts by creation time then id, as text: `<ms, 15 digits>:<id>`. */
export const listMember = (createdAt: string, id: string): string => `${String(Date.parse(createdAt)).padStart(15, '0')}:${id}`;

export function parseMember(member: string): { createdAt: string; id: string } {
  const colon = member.indexOf(':');
  return { createdAt: new Date(Number(member.slice(0, colon))).toISOString(), id: member.slice(colon + 1) };
}

/** The lists a trip belongs to while it has these owners. */
export function ownersOf(trip: Pick<Trip, 'passengerId' | 'driverId'>): TripListOwner[] {
  return [{ kind: 'all' }, { kind: 'passenger', id: trip.passengerId }, ...(trip.driverId ? [{ kind: 'driver' as const, id: trip.driverId }] : [])];
}

/** Whether the trip still belongs to the list (a driver who gave a trip back no longer owns it). */
export function belongsTo(trip: Pick<Trip, 'passengerId' | 'driverId'>, owner: TripListOwner): boolean {
  if (owner.kind === 'all') return true;
  return owner.kind === 'passenger' ? trip.passengerId === owner.id : trip.driverId === owner.id;
}
