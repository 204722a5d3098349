import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { chunk, forEachLimited, writeWithRetry, type BatchRetryOptions } from './batchWrite.js';
import {
  cellPartition,
  RecentSightings,
  toItems,
  toPointItems,
  trackKeyRange,
  trackPartitions,
  writeStamps,
  type PointItem,
  type SegmentItem,
  type SightingItem,
  type TrackItem,
} from './archiveItems.js';
import { latestSightings, readTrack } from './trackReads.js';
import {
  assertPoint,
  DEFAULT_RETENTION_MS,
  type ArchivedLocation,
  type DriverSeen,
  type LocationArchive,
} from './locationArchive.js';

export interface DynamoLocationArchiveOptions {
  table: string;
  region: string;
  /** dynalite or another DynamoDB-compatible server; omitted for AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  retentionMs?: number;
  /** Epoch ms; decides which points read as expired. */
  clock?: () => number;
  retry?: BatchRetryOptions;
  /** BatchWriteItem requests in flight during one putBatch. */
  writeConcurrency?: number;
  /**
   * `segments` (the default); `points` writes one item per point as releases before segments
   * did, which they can read, for the span of a rolling upgrade from them (docs/deploy.md).
   */
  writeFormat?: 'segments' | 'points';
  /** A driver staying in a cell is sighted at most this often (RecentSightings); 0 sights at every write. */
  sightingRefreshMs?: number;
}

type WriteRequest = { PutRequest: { Item: SegmentItem | SightingItem | PointItem } };

/** LocationArchive on one DynamoDB table; the key design is in README.md. */
export class DynamoLocationArchive implements LocationArchive {
  private readonly db: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly retentionMs: number;
  private readonly clock: () => number;
  private readonly stamp = writeStamps();
  private readonly recent: RecentSightings;

  constructor(private readonly options: DynamoLocationArchiveOptions) {
    this.db = new DynamoDBClient({
      region: options.region,
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
    });
    this.doc = DynamoDBDocumentClient.from(this.db, { marshallOptions: { removeUndefinedValues: true } });
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.clock = options.clock ?? Date.now;
    this.recent = new RecentSightings(options.sightingRefreshMs);
  }

  async putBatch(points: readonly ArchivedLocation[], options: { signal?: AbortSignal } = {}): Promise<void> {
    points.forEach(assertPoint);
    const items = this.options.writeFormat === 'points' ? toPointItems(points, this.retentionMs) : toItems(points, this.retentionMs, this.stamp(), this.recent);
    const requests = items.map((Item) => ({ PutRequest: { Item } }));
    await forEachLimited(chunk(requests, 25), this.options.writeConcurrency ?? 4, (batch) => {
      // Between BatchWriteItem calls: a stop ends the batch in seconds, not after thousands of calls.
      options.signal?.throwIfAborted();
      return writeWithRetry(batch, (pending) => this.writeBatch(pending), this.options.retry);
    });
    this.recent.remember(items);
  }

  async track(driverId: string, from: Date, to: Date, options: { limit?: number } = {}): Promise<ArchivedLocation[]> {
    const partitions = trackPartitions(driverId, from, to);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    // Pages of about `limit` items: a small page is often all a read needs (see readTrack).
    const pageSize = Number.isFinite(limit) ? Math.min(Math.max(limit, 10), 1_000) : undefined;
    return readTrack(this.trackItems(partitions, trackKeyRange(from, to), pageSize), {
      from,
      to,
      limit,
      liveAfter: this.clock() - this.retentionMs,
    });
  }

  async driversInCell(geohash6: string, bucketStart: Date): Promise<DriverSeen[]> {
    const ExpressionAttributeValues = { ':cell': cellPartition(geohash6, bucketStart) };
    const ProjectionExpression = 'driverId, recordedAt';
    const seen: SightingItem[] = [];
    // Points written one item each (before segments, or with writeFormat 'points') are indexed by gsi1.
    for (const input of [
      { KeyConditionExpression: 'pk = :cell', ExpressionAttributeValues, ProjectionExpression },
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :cell', ExpressionAttributeValues, ProjectionExpression },
    ]) {
      for await (const item of this.query<SightingItem>(input)) seen.push(item);
    }
    return latestSightings(seen);
  }

  async ensureTable(): Promise<void> {
    const TableName = this.options.table;
    if (!(await this.tableExists())) {
      try {
        await this.db.send(new CreateTableCommand(tableDefinition(TableName)));
      } catch (error) {
        if ((error as Error).name !== 'ResourceInUseException') throw error;
      }
      await waitUntilTableExists({ client: this.db, maxWaitTime: 120, minDelay: 1 }, { TableName });
    }
    await this.enableTtl();
  }

  async ping(): Promise<void> {
    await this.db.send(new DescribeTableCommand({ TableName: this.options.table }));
  }

  async close(): Promise<void> {
    this.doc.destroy();
    this.db.destroy();
  }

  private async writeBatch(pending: WriteRequest[]): Promise<WriteRequest[]> {
    const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.options.table]: pending } }));
    return (res.UnprocessedItems?.[this.options.table] ?? []) as WriteRequest[];
  }

  private async *trackItems(partitions: string[], range: { lo: string; hi: string }, pageSize: number | undefined): AsyncGenerator<TrackItem> {
    for (const pk of partitions) {
      yield* this.query<TrackItem>({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': pk, ':lo': range.lo, ':hi': range.hi },
        ...(pageSize !== undefined && { Limit: pageSize }),
      });
    }
  }

  /**
   * Every item of a query, page by page, skipping expired items: DynamoDB deletes them only
   * eventually (and dynalite never), so the TTL attribute is also checked here.
   */
  private async *query<T>(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<T> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.options.table,
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':now': Math.floor(this.clock() / 1000) },
          ...(ExclusiveStartKey && { ExclusiveStartKey }),
        }),
      );
      yield* (res.Items ?? []) as T[];
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  private async tableExists(): Promise<boolean> {
    try {
      await this.db.send(new DescribeTableCommand({ TableName: this.options.table }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return false;
      throw error;
    }
  }

  private async enableTtl(): Promise<void> {
    const TableName = this.options.table;
    const current = await this.db.send(new DescribeTimeToLiveCommand({ TableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return;
    try {
      await this.db.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }),
      );
    } catch (error) {
      // dynalite does not implement TTL at all; reads filter on expiresAt regardless.
      if ((error as Error).name !== 'UnknownOperationException') throw error;
    }
  }
}

function tableDefinition(TableName: string) {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: (['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const).map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['driverId', 'recordedAt', 'expiresAt'] },
      },
    ],
  };
}
