import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The driver service's own metrics, beside the kit's RED metrics per RPC. */
export function createDriverMetrics(registry: Registry, countOnline: () => Promise<number>) {
  const points = new Counter({
    name: 'uitgo_driver_location_points_total',
    help: 'Location points received, by outcome: accepted (recorded, newest), ignored (recorded in the history only: older than the live position), rejected (invalid)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    accepted: points.labels('accepted'),
    ignored: points.labels('ignored'),
    rejected: points.labels('rejected'),
    historyPublished: new Counter({ name: 'uitgo_driver_location_history_published_total', help: 'Points published to uitgo.driver-location.v1', registers: [registry] }),
    historyDropped: new Counter({
      name: 'uitgo_driver_location_history_dropped_total',
      help: 'Points dropped because the history buffer was full (the bus could not keep up)',
      registers: [registry],
    }),
    archived: new Counter({ name: 'uitgo_driver_location_archived_total', help: 'Points written to the location archive', registers: [registry] }),
    archiveLag: new Histogram({
      name: 'uitgo_driver_location_archive_lag_seconds',
      help: 'Time from a point being accepted (its event published) to its write to the archive, per point; on_trip="false" points wait up to DRIVER_ARCHIVE_LINGER_MS',
      labelNames: ['on_trip'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    searchSeconds: new Histogram({
      name: 'uitgo_driver_nearby_search_seconds',
      help: 'Nearest-driver searches in the live index',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    sweptEntries: new Counter({ name: 'uitgo_driver_geo_swept_total', help: 'Stale live-index entries swept', registers: [registry] }),
    onlineDrivers: new Gauge({
      name: 'uitgo_driver_online_drivers',
      help: 'Drivers that are available or on a trip (drivers-db)',
      registers: [registry],
      async collect() {
        this.set(await countOnline());
      },
    }),
  };
}

export type DriverMetrics = ReturnType<typeof createDriverMetrics>;
