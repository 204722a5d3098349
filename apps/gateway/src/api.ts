import { fixWindowOf } from '@uitgo/contracts';
import type { AdmissionControl, Logger, ServiceMetrics } from '@uitgo/kit';
import type { EventBus } from '@uitgo/kit/events';
import type { KeyValueStore } from '@uitgo/kit/kv';
import type { FastifyInstance } from 'fastify';
import { AccessTokenVerifier } from './auth/accessTokenVerifier.js';
import { Authenticator } from './auth/authenticator.js';
import { JwksKeySet } from './auth/jwksKeySet.js';
import { RevokedSessions } from './auth/revokedSessions.js';
import type { GatewayClients } from './clients.js';
import type { GatewayConfig } from './config.js';
import { IdempotencyKeys } from './http/idempotency.js';
import { RateLimiter } from './http/rateLimiter.js';
import { routeRegistrar } from './http/registerRoute.js';
import { ConnectionRegistry } from './live/connectionRegistry.js';
import { registerLiveRoute } from './live/liveRoute.js';
import { CLOSE } from './live/liveSession.js';
import { LocationStream } from './live/locationStream.js';
import { eventLagMetric, pushedFramesMetric, TripLiveFanout } from './live/tripLiveFanout.js';
import { registerAuthRoutes } from './routes/authRoutes.js';
import { registerDriverRoutes } from './routes/driverRoutes.js';
import { registerJwksRoute } from './routes/jwksRoute.js';
import { registerTripRoutes } from './routes/tripRoutes.js';
import { registerUserRoutes } from './routes/userRoutes.js';

export interface ApiDeps {
  clients: GatewayClients;
  /** Revoked sessions, idempotency keys and rate-limit counters: Redis in real mode, shared by every replica. */
  kv: KeyValueStore;
  /** Tests pass a controllable clock. */
  clock?: () => number;
  /** The sockets of `/api/v1/ws` by user; pass one to push frames to users from outside the API. */
  connections?: ConnectionRegistry;
  /** The event bus (Kafka in real mode) whose trip and location events are pushed to the sockets; without it nothing is pushed. */
  bus?: EventBus;
  /** Pauses before fetching a new WebSocket connection's current state again (tests shorten them). */
  liveStateRetryPausesMs?: readonly number[];
  /** The clients' admission control, told how late trip events arrive (it paces trip requests by it). */
  admission?: AdmissionControl;
}

/** Each trip event's lag goes to the histogram and, when there is one, to admission control (which paces trip requests by it). */
function lagObservers(histogram: (lagMs: number) => void, admission: AdmissionControl | undefined): (lagMs: number) => void {
  if (!admission) return histogram;
  return (lagMs) => {
    histogram(lagMs);
    admission.observeLag(lagMs);
  };
}

/** The public REST API under `/api/v1`: every contract route served by the gateway, with its cross-cutting rules, and the WebSocket. */
export async function registerApi(
  app: FastifyInstance,
  config: GatewayConfig,
  logger: Logger,
  metrics: ServiceMetrics,
  { clients, kv, clock, connections, bus, liveStateRetryPausesMs, admission }: ApiDeps,
): Promise<void> {
  const keys = new JwksKeySet(
    async () => (await clients.auth.getJwks({})).keys,
    {
      refreshIntervalMs: config.JWKS_REFRESH_INTERVAL_MS,
      minRefetchIntervalMs: config.JWKS_MIN_REFETCH_INTERVAL_MS,
      logger,
      ...(clock ? { clock } : {}),
    },
  );
  keys.start();
  app.addHook('onClose', async () => keys.stop());

  const verifier = new AccessTokenVerifier(keys, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxTtlS: config.ACCESS_TOKEN_MAX_TTL_S,
    ...(clock ? { clock } : {}),
  });
  const revoked = new RevokedSessions(kv, config.ACCESS_TOKEN_MAX_TTL_S * 1000);
  const authenticator = new Authenticator(verifier, revoked);
  const window = config.RATE_LIMIT_WINDOW_MS;
  const route = routeRegistrar(app, {
    authenticator,
    rateLimiter: new RateLimiter(kv, clock),
    idempotency: new IdempotencyKeys(kv, { ttlMs: config.IDEMPOTENCY_TTL_S * 1000, waitMs: config.IDEMPOTENCY_WAIT_MS }),
    limits: {
      public: { max: config.RATE_LIMIT_PUBLIC_MAX, windowMs: window },
      signedIn: { max: config.RATE_LIMIT_USER_MAX, windowMs: window },
    },
    bodyLimit: config.API_BODY_LIMIT_BYTES,
  });

  registerJwksRoute(app, keys);
  const registry = connections ?? new ConnectionRegistry();
  registerAuthRoutes(route, clients, revoked, (sessionId) => registry.closeSession(sessionId, CLOSE.unauthenticated, 'SESSION_REVOKED'));
  registerUserRoutes(route, clients);
  const locations = new LocationStream(clients.driver, {
    maxBuffered: config.LIVE_LOCATION_BUFFER,
    rotateMs: config.LIVE_STREAM_ROTATE_MS,
    backoff: { initialMs: 100, maxMs: config.LIVE_STREAM_BACKOFF_MAX_MS },
    logger,
  });
  locations.start();
  app.addHook('onClose', () => locations.close());
  const fixWindow = fixWindowOf(config);
  registerDriverRoutes(route, clients, locations, fixWindow);
  registerTripRoutes(route, clients);

  const fanout = bus
    ? new TripLiveFanout({
        bus,
        registry,
        trip: clients.trip,
        logger,
        pushed: pushedFramesMetric(metrics.registry),
        eventLag: lagObservers(eventLagMetric(metrics.registry), admission),
        ...(clock ? { clock } : {}),
        ...(liveStateRetryPausesMs ? { stateRetryPausesMs: liveStateRetryPausesMs } : {}),
        stateFetchConcurrency: config.LIVE_STATE_FETCH_CONCURRENCY,
        metricsRegistry: metrics.registry,
      })
    : undefined;
  if (fanout) {
    await fanout.start();
    app.addHook('onClose', () => fanout.stop());
  }
  await registerLiveRoute(
    app,
    {
      authenticator,
      registry,
      locations,
      fixWindow,
      ...(fanout ? { onConnected: (connection, context) => fanout.connected(connection, context) } : {}),
      logger,
      authTimeoutMs: config.LIVE_AUTH_TIMEOUT_MS,
      recheckMs: config.LIVE_SESSION_RECHECK_MS,
      ...(clock ? { clock } : {}),
    },
    { maxFrameBytes: config.LIVE_MAX_FRAME_BYTES },
  );
}
