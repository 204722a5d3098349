import { randomUUID } from 'node:crypto';
import { TOPICS, type UitgoEvent } from '@uitgo/contracts';
import type { Logger } from '@uitgo/kit';
import type { EventBus } from '@uitgo/kit/events';
import type { HistoryPoint, LocationHistory } from '../ports/locationHistory.js';

export interface BusLocationHistoryOptions {
  bus: EventBus;
  logger: Logger;
  /** Flush at least this often. */
  flushIntervalMs?: number;
  /** Flush as soon as this many points wait. */
  flushAtPoints?: number;
  /** Points beyond this are dropped (and counted) rather than growing memory without bound. */
  maxBufferedPoints?: number;
  onPublished?: (points: number) => void;
  onDropped?: (points: number) => void;
}

type LocationEvent = UitgoEvent<'driver.v1.location_recorded'>;
type TripPositionEvent = UitgoEvent<'driver.v1.trip_position'>;

/**
 * Telemetry, not state: points go straight to the bus (not through the SQL outbox), batched by
 * time and size, one event per driver per flush (key = driver id, so a driver's points stay in
 * order on one partition). Ingest only appends to the buffer. The points were validated on the
 * way in, so events are built without re-parsing them.
 *
 * A driver on a trip also gets a `driver.v1.trip_position` (the newest point of the flush) on
 * its own topic for live tracking: every gateway replica reads that topic whole, and most of
 * the city's points (idle drivers, uploaded history) are of no use to it.
 */
export class BusLocationHistory implements LocationHistory {
  private buffer: HistoryPoint[] = [];
  private inFlight: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly flushAt: number;
  private readonly maxBuffered: number;
  private closed = false;

  constructor(private readonly options: BusLocationHistoryOptions) {
    this.flushAt = options.flushAtPoints ?? 2_000;
    this.maxBuffered = options.maxBufferedPoints ?? 100_000;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 100);
    this.timer.unref();
  }

  record(points: readonly HistoryPoint[]): void {
    const room = this.closed ? 0 : this.maxBuffered - this.buffer.length;
    if (room < points.length) this.options.onDropped?.(points.length - Math.max(0, room));
    for (let i = 0; i < Math.min(room, points.length); i++) this.buffer.push(points[i]!);
    if (this.buffer.length >= this.flushAt) this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    // A few rounds: what fails to send meanwhile is put back once per round, not forever.
    for (let round = 0; round < 3 && (this.inFlight || this.buffer.length > 0); round++) {
      await this.inFlight;
      await this.flush();
    }
  }

  /** Starts sending the buffer unless a send is under way (the next tick picks up what waits). */
  private flush(): Promise<void> | undefined {
    if (this.inFlight || this.buffer.length === 0) return this.inFlight ?? undefined;
    const points = this.buffer;
    this.buffer = [];
    this.inFlight = this.publish(points).finally(() => {
      this.inFlight = null;
      if (this.buffer.length >= this.flushAt) this.flush();
    });
    return this.inFlight;
  }

  private async publish(points: HistoryPoint[]): Promise<void> {
    try {
      const { archive, live } = toEvents(points);
      await Promise.all([
        this.options.bus.publish(TOPICS.driverLocation, archive),
        live.length > 0 ? this.options.bus.publish(TOPICS.driverTripPosition, live) : undefined,
      ]);
      this.options.onPublished?.(points.length);
    } catch (err) {
      this.options.logger.warn({ err, points: points.length }, 'location history publish failed; retrying with the next flush');
      const room = this.maxBuffered - this.buffer.length;
      if (room < points.length) this.options.onDropped?.(points.length - Math.max(0, room));
      this.buffer = [...points.slice(0, Math.max(0, room)), ...this.buffer];
    }
  }
}

function toEvents(points: HistoryPoint[]): { archive: LocationEvent[]; live: TripPositionEvent[] } {
  const byDriver = new Map<string, HistoryPoint[]>();
  for (const p of points) {
    const list = byDriver.get(p.driverId);
    if (list) list.push(p);
    else byDriver.set(p.driverId, [p]);
  }
  const occurredAt = new Date().toISOString();
  const archive: LocationEvent[] = [];
  const live: TripPositionEvent[] = [];
  for (const [driverId, list] of byDriver) {
    const tripId = list.at(-1)!.tripId;
    archive.push({ id: randomUUID(), type: 'driver.v1.location_recorded', key: driverId, occurredAt, payload: { driverId, tripId, points: list.map(toLocation) } });
    if (tripId) {
      const newest = list.reduce((a, b) => (b.recordedAt > a.recordedAt ? b : a));
      live.push({ id: randomUUID(), type: 'driver.v1.trip_position', key: driverId, occurredAt, payload: { driverId, tripId, location: toLocation(newest) } });
    }
  }
  return { archive, live };
}

function toLocation(p: HistoryPoint) {
  return {
    lat: p.lat,
    lng: p.lng,
    recordedAt: p.recordedAt.toISOString(),
    ...(p.headingDeg !== undefined && { headingDeg: p.headingDeg }),
    ...(p.speedKmh !== undefined && { speedKmh: p.speedKmh }),
    ...(p.accuracyM !== undefined && { accuracyM: p.accuracyM }),
  };
}
