import { cellPartition, RecentSightings, toItems, trackKeyRange, trackPartitions, writeStamps, type SegmentItem, type SightingItem } from './archiveItems.js';
import { latestSightings, readTrack } from './trackReads.js';
import {
  assertPoint,
  DEFAULT_RETENTION_MS,
  type ArchivedLocation,
  type DriverSeen,
  type LocationArchive,
} from './locationArchive.js';

type StoredItem = SegmentItem | SightingItem;

export interface MemoryLocationArchiveOptions {
  retentionMs?: number;
  /** Epoch ms; decides which points have expired. */
  clock?: () => number;
  /** How often expired items are dropped (reads skip them anyway). */
  sweepIntervalMs?: number;
  /** As DynamoLocationArchiveOptions.sightingRefreshMs. */
  sightingRefreshMs?: number;
}

/** In-process LocationArchive with the same items, ordering and expiry as the DynamoDB one. */
export class MemoryLocationArchive implements LocationArchive {
  /** pk -> sk -> item, as the table holds them. */
  private readonly partitions = new Map<string, Map<string, StoredItem>>();
  private readonly retentionMs: number;
  private readonly clock: () => number;
  private readonly stamp = writeStamps();
  private readonly sweeper: NodeJS.Timeout;
  private readonly recent: RecentSightings;

  constructor(options: MemoryLocationArchiveOptions = {}) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.clock = options.clock ?? Date.now;
    this.recent = new RecentSightings(options.sightingRefreshMs);
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 3600_000);
    this.sweeper.unref();
  }

  async putBatch(points: readonly ArchivedLocation[], options: { signal?: AbortSignal } = {}): Promise<void> {
    options.signal?.throwIfAborted();
    points.forEach(assertPoint);
    const items = toItems(points, this.retentionMs, this.stamp(), this.recent);
    for (const item of items) {
      let partition = this.partitions.get(item.pk);
      if (!partition) this.partitions.set(item.pk, (partition = new Map()));
      partition.set(item.sk, item);
    }
    this.recent.remember(items);
  }

  async track(driverId: string, from: Date, to: Date, options: { limit?: number } = {}): Promise<ArchivedLocation[]> {
    const partitions = trackPartitions(driverId, from, to);
    const { lo, hi } = trackKeyRange(from, to);
    const items = partitions.flatMap((pk) =>
      this.liveItems<SegmentItem>(pk)
        .filter((item) => item.sk >= lo && item.sk <= hi)
        .sort((a, b) => (a.sk < b.sk ? -1 : 1)),
    );
    return readTrack(asAsync(items), {
      from,
      to,
      limit: options.limit ?? Number.POSITIVE_INFINITY,
      liveAfter: this.clock() - this.retentionMs,
    });
  }

  async driversInCell(geohash6: string, bucketStart: Date): Promise<DriverSeen[]> {
    return latestSightings(this.liveItems<SightingItem>(cellPartition(geohash6, bucketStart)));
  }

  async ensureTable(): Promise<void> {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** Drops expired items (segments and sightings) and returns how many were dropped. */
  sweep(): number {
    let removed = 0;
    for (const [pk, items] of this.partitions) {
      for (const [sk, item] of items) {
        if (this.live(item)) continue;
        items.delete(sk);
        removed++;
      }
      if (items.size === 0) this.partitions.delete(pk);
    }
    return removed;
  }

  private liveItems<T extends StoredItem>(pk: string): T[] {
    return [...(this.partitions.get(pk)?.values() ?? [])].filter((item) => this.live(item)) as T[];
  }

  private live(item: StoredItem): boolean {
    return item.expiresAt > this.clock() / 1000;
  }
}

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
