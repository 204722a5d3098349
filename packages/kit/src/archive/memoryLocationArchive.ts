import { bySeen, cellPartition, dedupe, fromItem, toItem, trackPartitions, type ArchiveItem } from './archiveKeys.js';
import {
  assertPoint,
  DEFAULT_RETENTION_MS,
  type ArchivedLocation,
  type DriverSeen,
  type LocationArchive,
} from './locationArchive.js';

export interface MemoryLocationArchiveOptions {
  retentionMs?: number;
  /** Epoch ms; decides which points have expired. */
  clock?: () => number;
  /** How often expired points are dropped (reads skip them anyway). */
  sweepIntervalMs?: number;
}

/** In-process LocationArchive with the same keys, ordering and expiry as the DynamoDB one. */
export class MemoryLocationArchive implements LocationArchive {
  private readonly partitions = new Map<string, Map<string, ArchiveItem>>();
  private readonly cells = new Map<string, Map<string, ArchiveItem>>();
  private readonly retentionMs: number;
  private readonly clock: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryLocationArchiveOptions = {}) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.clock = options.clock ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 3600_000);
    this.sweeper.unref();
  }

  async putBatch(points: readonly ArchivedLocation[], options: { signal?: AbortSignal } = {}): Promise<void> {
    options.signal?.throwIfAborted();
    points.forEach(assertPoint);
    for (const item of dedupe(points.map((p) => toItem(p, this.retentionMs)))) {
      const previous = this.partitions.get(item.pk)?.get(item.sk);
      if (previous) this.cells.get(previous.gsi1pk)?.delete(previous.gsi1sk);
      slot(this.partitions, item.pk).set(item.sk, item);
      slot(this.cells, item.gsi1pk).set(item.gsi1sk, item);
    }
  }

  async track(driverId: string, from: Date, to: Date, options: { limit?: number } = {}): Promise<ArchivedLocation[]> {
    const lo = from.toISOString();
    const hi = to.toISOString();
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const result: ArchivedLocation[] = [];
    for (const pk of trackPartitions(driverId, from, to)) {
      const items = [...(this.partitions.get(pk)?.values() ?? [])]
        .filter((item) => item.sk >= lo && item.sk <= hi && this.live(item))
        .sort((a, b) => (a.sk < b.sk ? -1 : 1));
      for (const item of items) {
        if (result.length >= limit) return result;
        result.push(fromItem(item));
      }
    }
    return result;
  }

  async driversInCell(geohash6: string, bucketStart: Date): Promise<DriverSeen[]> {
    const latest = new Map<string, string>();
    for (const item of this.cells.get(cellPartition(geohash6, bucketStart))?.values() ?? []) {
      if (this.live(item) && (latest.get(item.driverId) ?? '') < item.recordedAt) latest.set(item.driverId, item.recordedAt);
    }
    return bySeen(latest);
  }

  async ensureTable(): Promise<void> {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** Drops expired points and returns how many were dropped. */
  sweep(): number {
    let removed = 0;
    for (const [pk, items] of this.partitions) {
      for (const [sk, item] of items) {
        if (this.live(item)) continue;
        items.delete(sk);
        this.cells.get(item.gsi1pk)?.delete(item.gsi1sk);
        removed++;
      }
      if (items.size === 0) this.partitions.delete(pk);
    }
    for (const [pk, items] of this.cells) if (items.size === 0) this.cells.delete(pk);
    return removed;
  }

  private live(item: ArchiveItem): boolean {
    return item.expiresAt > this.clock() / 1000;
  }
}

function slot(map: Map<string, Map<string, ArchiveItem>>, key: string): Map<string, ArchiveItem> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}
