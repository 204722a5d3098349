/**
 * Key layout (the design note is docs/design/geo-index.md). The part in braces is the cluster
 * hash tag: one driver's keys share a slot, and so do one cell's.
 * - `driver:{id}`        hash: vehicle, availability, trip, version, newest position, cell, stamp
 * - `reservation:{id}`   string (JSON), SET NX PX: the trip holding the driver
 * - `cell:{vt:iy:ix}`    GEO set of the available drivers of one vehicle type in one grid cell
 * - `cell-ts:{…}`        ZSET of the same members scored by recordedAt (freshness, sweeping)
 * - `cell-pos:{…}`       HASH member -> "ts,lat,lng" as reported (freshness, exact distances)
 * - `cell-stamp:{…}`     ZSET member -> stamp of the last decision applied (negative: removed)
 * - `cell-hold:{…}`      ZSET member -> until when (Redis ms) a reservation holds the driver
 * - `cells`              SET of cells that may hold entries, for the sweeper
 */
export class RedisGeoKeys {
  constructor(private readonly prefix: string) {
    if (prefix.includes('{') || prefix.includes('}')) throw new Error('keyPrefix must not contain braces (they pick the hash slot)');
  }

  driver = (driverId: string): string => `${this.prefix}driver:{${driverId}}`;
  reservation = (driverId: string): string => `${this.prefix}reservation:{${driverId}}`;
  /** The two keys of a driver, for the driver scripts: hash, reservation. */
  driverKeys = (driverId: string): string[] => [this.driver(driverId), this.reservation(driverId)];
  cell = (cell: string): string => `${this.prefix}cell:{${cell}}`;
  /** The five keys of a cell, for CELL_PUT, CELL_DEL and CELL_SWEEP: geo, ts, positions, stamps, holds. */
  cellKeys = (cell: string): string[] => [
    this.cell(cell),
    `${this.prefix}cell-ts:{${cell}}`,
    `${this.prefix}cell-pos:{${cell}}`,
    `${this.prefix}cell-stamp:{${cell}}`,
    `${this.prefix}cell-hold:{${cell}}`,
  ];
  /** The keys CELL_SEARCH reads: geo, ts, positions, holds. */
  searchKeys = (cell: string): string[] => [
    this.cell(cell),
    `${this.prefix}cell-ts:{${cell}}`,
    `${this.prefix}cell-pos:{${cell}}`,
    `${this.prefix}cell-hold:{${cell}}`,
  ];
  cells = (): string => `${this.prefix}cells`;
  sweepLock = (): string => `${this.prefix}sweep-lock`;
}
