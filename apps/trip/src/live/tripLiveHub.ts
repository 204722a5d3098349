import { randomUUID } from 'node:crypto';
import { TOPICS, type Trip } from '@uitgo/contracts';
import type { DeliveredEvent, EventBus, Subscription } from '@uitgo/kit/events';

export type OfferUpdate =
  | { type: 'offered'; tripId: string; driverId: string; reservationId?: string; pickup: Trip['pickup']; dropoff: Trip['dropoff']; fare: { amount: number; currency: string }; expiresAt: string }
  | { type: 'expired' | 'withdrawn'; tripId: string; driverId: string };

type Listener<T> = (update: T) => void;

/**
 * Fans `uitgo.trip.v1` out to this process's watchers (WatchTrip, WatchDriverOffers). Its
 * consumer group is unique to the process, so every replica sees every event.
 */
export class TripLiveHub {
  private readonly tripListeners = new Map<string, Set<Listener<Trip>>>();
  private readonly offerListeners = new Map<string, Set<Listener<OfferUpdate>>>();
  private subscription: Subscription | undefined;

  async start(bus: EventBus): Promise<void> {
    this.subscription = await bus.subscribe({
      groupId: `trip-live-${randomUUID()}`,
      topics: [TOPICS.trip],
      fromBeginning: false,
      handle: async (events) => events.forEach((event) => this.dispatch(event)),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  onTrip(tripId: string, listener: Listener<Trip>): () => void {
    return add(this.tripListeners, tripId, listener);
  }

  onOffers(driverId: string, listener: Listener<OfferUpdate>): () => void {
    return add(this.offerListeners, driverId, listener);
  }

  private dispatch(event: DeliveredEvent): void {
    const payload = event.payload as Record<string, unknown>;
    if (payload?.trip) {
      const trip = payload.trip as Trip;
      this.tripListeners.get(trip.id)?.forEach((listener) => listener(trip));
      return;
    }
    if (event.type === 'trip.v1.offered') {
      const p = payload as unknown as Extract<OfferUpdate, { type: 'offered' }>;
      this.offerListeners.get(p.driverId)?.forEach((listener) => listener({ type: 'offered', tripId: p.tripId, driverId: p.driverId, pickup: p.pickup, dropoff: p.dropoff, fare: p.fare, expiresAt: p.expiresAt }));
    } else if (event.type === 'trip.v1.offer_expired') {
      const p = payload as { tripId: string; driverId: string; reason: string };
      const type = p.reason === 'withdrawn' ? 'withdrawn' : 'expired';
      this.offerListeners.get(p.driverId)?.forEach((listener) => listener({ type, tripId: p.tripId, driverId: p.driverId }));
    }
  }
}

function add<T>(map: Map<string, Set<Listener<T>>>, key: string, listener: Listener<T>): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(key);
  };
}
