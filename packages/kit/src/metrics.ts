import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface ServiceMetrics {
  registry: Registry;
  /** RED per RPC: rate and errors from the count by code, duration from the buckets. */
  grpcServerHandled: Histogram<'method' | 'code'>;
  grpcClientHandled: Histogram<'method' | 'code'>;
  /** Calls refused before they were sent, their method being saturated (admission control). */
  grpcClientShed: Counter<'method'>;
  httpRequests: Histogram<'method' | 'route' | 'status'>;
  errors: Counter<'kind'>;
}

export function createMetrics(service: string, { defaults = true } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    grpcServerHandled: new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'gRPC calls handled by this service, by method and status code',
      labelNames: ['method', 'code'],
      buckets: latencyBuckets,
      registers: [registry],
    }),
    grpcClientHandled: new Histogram({
      name: 'grpc_client_handling_seconds',
      help: 'gRPC calls made by this service, by method and status code',
      labelNames: ['method', 'code'],
      buckets: latencyBuckets,
      registers: [registry],
    }),
    grpcClientShed: new Counter({
      name: 'grpc_client_shed_total',
      help: 'gRPC calls refused before they were sent because their method was saturated (admission control)',
      labelNames: ['method'],
      registers: [registry],
    }),
    httpRequests: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests handled, by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: latencyBuckets,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'uitgo_unexpected_errors_total',
      help: 'Errors that were not domain errors (bugs or broken dependencies)',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}

/** prom-client resolves label sets by hashing on every call; cache the children on hot paths. */
export function childCache<T>(make: (a: string, b: string) => T): (a: string, b: string) => T {
  const cache = new Map<string, T>();
  return (a, b) => {
    const key = `${a}\u0000${b}`;
    let child = cache.get(key);
    if (!child) cache.set(key, (child = make(a, b)));
    return child;
  };
}
