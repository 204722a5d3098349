import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The trip service's own metrics, beside the kit's RED metrics per RPC. */
export function createTripMetrics(registry: Registry) {
  const outcomes = new Counter({
    name: 'uitgo_trip_offers_total',
    help: 'Offers by outcome: offered, accepted, declined, expired, withdrawn',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    offers: outcomes,
    tripsCreated: new Counter({ name: 'uitgo_trip_created_total', help: 'Trips requested', registers: [registry] }),
    noDriver: new Counter({
      name: 'uitgo_trip_no_driver_total',
      help: 'Trips canceled because no driver accepted, by pickup zone (a 0.1° cell, "<floor(lat*10)>:<floor(lng*10)>")',
      labelNames: ['zone'],
      registers: [registry],
    }),
    projectionLag: new Gauge({
      name: 'uitgo_trip_read_model_lag_seconds',
      help: 'Age of the newest trip event the read-model projector applied, when it applied it',
      registers: [registry],
    }),
    projectionLagSeconds: new Histogram({
      name: 'uitgo_trip_read_model_projection_seconds',
      help: 'Time from a trip event to the projector applying it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    readModelMisses: new Counter({ name: 'uitgo_trip_read_model_misses_total', help: 'Reads the read model could not answer (served and repaired from PostgreSQL)', registers: [registry] }),
    readModelFills: new Counter({
      name: 'uitgo_trip_read_model_fills_total',
      help: 'Background fills of the read model from PostgreSQL, by reason (start-up, incomplete: a list found it not complete) and outcome (completed, failed, stopped)',
      labelNames: ['reason', 'outcome'],
      registers: [registry],
    }),
    receipts: new Counter({ name: 'uitgo_trip_receipts_total', help: 'Receipts rendered and stored', registers: [registry] }),
    driverTaskFailures: new Counter({ name: 'uitgo_trip_driver_task_failures_total', help: 'Driver-service calls that failed and will be retried', registers: [registry] }),
  };
}

export type TripMetrics = ReturnType<typeof createTripMetrics>;
