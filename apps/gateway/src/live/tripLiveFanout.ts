import { randomUUID } from 'node:crypto';
import { TOPICS, type EventPayload, type ServerFrame, type ServerFrameType, type Trip, type UitgoEvent } from '@uitgo/contracts';
import { trip as proto } from '@uitgo/grpc';
import { ConcurrencyLimit, isAppError, type Logger, type RequestContext } from '@uitgo/kit';
import type { BusEvent, EventBus, Subscription } from '@uitgo/kit/events';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TripClient } from '../clients.js';
import { toTripOffer } from '../mappers/driverMappers.js';
import { toTrip } from '../mappers/tripMappers.js';
import { ActiveTrips } from './activeTrips.js';
import type { ConnectionRegistry, LiveConnection } from './connectionRegistry.js';

/** Counts frames pushed to sockets (one per socket reached), by frame type. */
export type PushedFrames = (type: ServerFrameType, sockets: number) => void;

export function pushedFramesMetric(registry: Registry): PushedFrames {
  const counter = new Counter({
    name: 'uitgo_gateway_live_frames_total',
    help: 'Frames pushed to WebSocket clients (one per socket), by type',
    labelNames: ['type'],
    registers: [registry],
  });
  const children = new Map<string, ReturnType<typeof counter.labels>>();
  return (type, sockets) => {
    let child = children.get(type);
    if (!child) children.set(type, (child = counter.labels(type)));
    child.inc(sockets);
  };
}

/** How late trip events reach this gateway (ms; a clock behind the trip service's counts as 0). */
export function eventLagMetric(registry: Registry): (lagMs: number) => void {
  const histogram = new Histogram({
    name: 'uitgo_gateway_live_event_lag_seconds',
    help: 'From a trip event occurring (its occurredAt) to this gateway pushing it: dispatch step, outbox, Kafka and the fan-out',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (lagMs) => histogram.observe(Math.max(0, lagMs) / 1000);
}

export interface TripLiveFanoutDeps {
  bus: EventBus;
  registry: ConnectionRegistry;
  trip: TripClient;
  logger: Logger;
  pushed: PushedFrames;
  clock?: () => number;
  /** Pauses (each jittered ±50 %) before fetching a new connection's state again; its length bounds the retries. */
  stateRetryPausesMs?: readonly number[];
  /** Told how late each trip event arrived (its occurredAt to now), ms. */
  eventLag?: (lagMs: number) => void;
  /** State fetches of new connections run at once (default STATE_FETCH_CONCURRENCY); the rest wait in line. */
  stateFetchConcurrency?: number;
  /** Where the fetches waiting for their turn are reported (a gauge), if anywhere. */
  metricsRegistry?: Registry;
}

const STATE_RETRY_PAUSES_MS = [250, 1_000, 3_000];
const STATE_FETCH_CONCURRENCY = 16;

/** A driver's recent trips looked at on connect: its active one is normally the newest. */
const DRIVER_TRIPS_ON_CONNECT = 5;
const PS = proto.TripStatus;
const ON_TRIP: ReadonlySet<proto.TripStatus> = new Set([PS.TRIP_STATUS_DRIVER_ASSIGNED, PS.TRIP_STATUS_ARRIVED, PS.TRIP_STATUS_IN_TRIP]);


/**
 * Pushes the trip service's events to this replica's sockets: offers and their end to drivers,
 * `trip_updated` to a trip's passenger and driver, the driver's position to the passenger while
 * the driver comes and drives. Every replica reads every event (a consumer group of its own)
 * and delivers to the users connected to it, so it works with any number of replicas. A client
 * that connects gets the current state at once (`connected`).
 */
export class TripLiveFanout {
  private readonly trips = new ActiveTrips();
  private readonly clock: () => number;
  private subscription: Subscription | undefined;
  private readonly stateFetches: ConcurrencyLimit;

  constructor(private readonly deps: TripLiveFanoutDeps) {
    this.clock = deps.clock ?? Date.now;
    this.stateFetches = new ConcurrencyLimit({ maxConcurrent: deps.stateFetchConcurrency ?? STATE_FETCH_CONCURRENCY });
    const fetches = this.stateFetches;
    if (deps.metricsRegistry) {
      new Gauge({
        name: 'uitgo_gateway_live_state_fetches_waiting',
        help: "New WebSocket connections waiting for their turn to fetch their current state from the trip service (LIVE_STATE_FETCH_CONCURRENCY at a time)",
        registers: [deps.metricsRegistry],
        collect() {
          this.set(fetches.queued);
        },
      });
    }
  }

  /** Resolves once subscribed: events published after it are pushed. */
  async start(): Promise<void> {
    this.subscription = await this.deps.bus.subscribe({
      groupId: `gateway-live-${randomUUID()}`,
      topics: [TOPICS.trip, TOPICS.driverTripPosition],
      // A fresh group each start, read from the end: no position is ever resumed, so none is committed.
      commit: false,
      fromBeginning: false,
      // Never throws: a push is best effort, and a failing handler would hold the bus back.
      handle: async (events) => {
        const now = this.clock();
        for (const event of events) {
          if (event.topic === TOPICS.trip) this.reportLag(now - Date.parse(event.occurredAt));
          this.apply(event);
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /**
   * For a new connection: sends the current state. A fetch the trip service could not answer
   * (down, or refusing for load) is tried again after a jittered pause, so a storm of
   * reconnections spreads out; if it still fails, the client gets an error frame saying so, and
   * the connection carries on with the pushes.
   */
  connected(connection: LiveConnection, context: RequestContext): void {
    this.sendCurrentStateRetrying(connection, context).catch((err: unknown) =>
      this.deps.logger.warn({ err, traceId: context.traceId, userId: connection.userId }, 'could not send the current trip state to a new live connection'),
    );
  }

  private async sendCurrentStateRetrying(connection: LiveConnection, context: RequestContext): Promise<void> {
    const pauses = this.deps.stateRetryPausesMs ?? STATE_RETRY_PAUSES_MS;
    const wanted = () => this.subscription !== undefined && this.deps.registry.isOpen(connection);
    for (let attempt = 0; wanted(); attempt++) {
      try {
        // A connection that closed while waiting for its turn is skipped.
        return await this.stateFetches.run(async () => {
          if (wanted()) await this.sendCurrentState(connection, context);
        });
      } catch (err) {
        const transient = isAppError(err) && (err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED');
        const pause = pauses[attempt];
        if (transient && pause !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())).unref());
          continue;
        }
        this.deps.logger.warn({ err, traceId: context.traceId, userId: connection.userId, attempts: attempt + 1 }, 'could not send the current trip state to a new live connection');
        if (!wanted()) return;
        const where = connection.role === 'driver' ? 'GET /drivers/me/offers and GET /trips' : 'GET /trips';
        this.sendFrame(connection, {
          type: 'error',
          code: transient ? 'UNAVAILABLE' : 'INTERNAL',
          message: `Could not load your current trip${connection.role === 'driver' ? ' and offers' : ''}; reconnect in a few seconds, or read ${where}`,
          traceId: context.traceId,
        });
        return;
      }
    }
  }

  private sendFrame(connection: LiveConnection, frame: ServerFrame): void {
    connection.sendText(JSON.stringify(frame));
    this.deps.pushed(frame.type, 1);
  }

  /** A passenger gets its active trip; a driver its live offers and its active trip. */
  private async sendCurrentState(connection: LiveConnection, context: RequestContext): Promise<void> {
    const { userId, role } = connection;
    const send = (frame: ServerFrame) => this.sendFrame(connection, frame);
    const sendTrip = (fetched: proto.Trip | undefined) => {
      const current = fetched && this.trips.current(toTrip(fetched));
      if (current) send({ type: 'trip_updated', trip: current });
    };
    const { trip } = this.deps;
    const any = PS.TRIP_STATUS_UNSPECIFIED;
    if (role === 'passenger') {
      // One active trip per passenger, so if there is one it is the newest.
      const { trips } = await trip.listTrips({ passengerId: userId, status: any, pageSize: 1 }, { context });
      return sendTrip(trips[0]);
    }
    if (role !== 'driver') return;
    const [{ offers }, { trips }] = await Promise.all([
      trip.listDriverOffers({ driverId: userId }, { context }),
      trip.listTrips({ driverId: userId, status: any, pageSize: DRIVER_TRIPS_ON_CONNECT }, { context }),
    ]);
    const now = this.clock();
    for (const offer of offers.map(toTripOffer)) {
      if (Date.parse(offer.expiresAt) > now && this.trips.mayBeLive(offer.tripId, userId)) send({ type: 'offer', offer });
    }
    sendTrip(trips.find((t) => ON_TRIP.has(t.status)));
  }

  private reportLag(lagMs: number): void {
    if (Number.isFinite(lagMs)) this.deps.eventLag?.(lagMs);
  }

  private apply(event: BusEvent): void {
    try {
      this.route(event as unknown as UitgoEvent);
    } catch (err) {
      this.deps.logger.warn({ err, eventId: event.id, eventType: event.type }, 'live fan-out skipped an event it could not read');
    }
  }

  private route(event: UitgoEvent): void {
    switch (event.type) {
      case 'driver.v1.trip_position':
        return this.onPosition(event.payload);
      case 'trip.v1.offered': {
        const { tripId, driverId, pickup, dropoff, fare, expiresAt } = event.payload;
        if (Date.parse(expiresAt) <= this.clock()) return;
        return this.push(driverId, { type: 'offer', offer: { tripId, pickup, dropoff, fare: { amount: fare.amount, currency: fare.currency }, expiresAt } });
      }
      case 'trip.v1.offer_expired': {
        const { tripId, driverId } = event.payload;
        this.trips.endOffer(tripId, driverId);
        return this.push(driverId, { type: 'offer_expired', tripId });
      }
      case 'trip.v1.requested':
      case 'trip.v1.assigned':
      case 'trip.v1.arrived':
      case 'trip.v1.started':
      case 'trip.v1.completed':
      case 'trip.v1.canceled':
        return this.onTrip(event.payload.trip);
      default:
        return;
    }
  }

  private onTrip(trip: Trip): void {
    const { news, previous } = this.trips.observe(trip);
    if (!news) return;
    const frame: ServerFrame = { type: 'trip_updated', trip };
    this.push(trip.passengerId, frame);
    if (trip.driverId) this.push(trip.driverId, frame);
    // A driver who gave the trip back (it is REQUESTED again) learns it too.
    if (previous?.driverId && previous.driverId !== trip.driverId) this.push(previous.driverId, frame);
  }

  /** The hot path (every on-trip driver's positions): a map lookup, and one for the passenger's sockets. */
  private onPosition({ driverId, location }: EventPayload<'driver.v1.trip_position'>): void {
    const assignment = this.trips.assignmentOf(driverId);
    if (!assignment || !this.deps.registry.isConnected(assignment.passengerId)) return;
    const at = Date.parse(location.recordedAt);
    if (!(at > assignment.lastForwardedMs)) return;
    assignment.lastForwardedMs = at;
    this.push(assignment.passengerId, {
      type: 'driver_location',
      tripId: assignment.tripId,
      driverId,
      location: { lat: location.lat, lng: location.lng },
      ...(location.headingDeg !== undefined ? { headingDeg: location.headingDeg } : {}),
      ...(location.speedKmh !== undefined ? { speedKmh: location.speedKmh } : {}),
      recordedAt: location.recordedAt,
    });
  }

  private push(userId: string, frame: ServerFrame): void {
    const sockets = this.deps.registry.sendTo(userId, frame);
    if (sockets > 0) this.deps.pushed(frame.type, sockets);
  }
}
