/**
 * Key layout (the design note is docs/design/geo-index.md). The part in braces is the cluster
 * hash tag: one driver's keys share a slot, and so do one cell's.
 * - `driver:{id}`       hash: vehicle, availability, trip, version, newest position, current cell
 * - `reservation:{id}`  string (JSON), SET NX PX: the trip holding the driver
 * - `cell:{vt:iy:ix}`   GEO set of the available drivers of one vehicle type in one grid cell
 * - `cell-ts:{vt:iy:ix}` ZSET of the same members scored by recordedAt (freshness, sweeping)
 * - `cells`             SET of cells that may hold entries, for the sweeper
 */
export class RedisGeoKeys {
  constructor(private readonly prefix: string) {
    if (prefix.includes('{') || prefix.includes('}')) throw new Error('keyPrefix must not contain braces (they pick the hash slot)');
  }

  driver = (driverId: string): string => `${this.prefix}driver:{${driverId}}`;
  reservation = (driverId: string): string => `${this.prefix}reservation:{${driverId}}`;
  cell = (cell: string): string => `${this.prefix}cell:{${cell}}`;
  cellTimes = (cell: string): string => `${this.prefix}cell-ts:{${cell}}`;
  cells = (): string => `${this.prefix}cells`;
  sweepLock = (): string => `${this.prefix}sweep-lock`;
}
