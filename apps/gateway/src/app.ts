import cors from '@fastify/cors';
import { registerOpsRoutes, type Logger, type ReadinessCheck, type ServiceMetrics } from '@uitgo/kit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { registerApi, type ApiDeps } from './api.js';
import { responseValidationOf, type GatewayConfig } from './config.js';
import { registerDocs } from './http/docs.js';
import { answerClientError, registerErrorHandling } from './http/errorHandler.js';
import { queryAwareValidatorCompiler } from './http/validation.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import { registerTraceContext, traceIdOf } from './http/traceContext.js';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Dependencies `/readyz` checks: the services' gRPC health, Redis, ... */
  checks: Record<string, ReadinessCheck>;
  isShuttingDown?: () => boolean;
  /** The services and the shared store behind `/api/v1`; without them only the edge conventions are served. */
  api?: ApiDeps;
}

/**
 * TRUST_PROXY as Fastify takes it. A hop count trusts that many proxies nearest the gateway
 * whatever their address (Fastify refuses bare counts): sound only where nothing but the proxy
 * reaches the gateway, as the Kubernetes NetworkPolicy ensures (ingress-nginx only).
 */
export function trustProxyOf(setting: GatewayConfig['TRUST_PROXY']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** Compiled once per route: plain JSON.stringify; mappers' types already fix the shape. */
const plainSerializerCompiler = () => (data: unknown) => JSON.stringify(data);

/** The edge: REST `/api/v1` over the services' gRPC APIs, with the platform's HTTP conventions. */
export async function buildGateway({ config, logger, metrics, checks, isShuttingDown, api }: GatewayDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    // Per-request access logs cost throughput; metrics cover traffic and failures are logged.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'traceId' }),
    genReqId: traceIdOf,
    clientErrorHandler: answerClientError,
  });
  app.setValidatorCompiler(queryAwareValidatorCompiler);
  // Checking every response against its contract costs throughput; tests and development do it,
  // production trusts the typed mappers (RESPONSE_VALIDATION=true turns it on there too).
  app.setSerializerCompiler(responseValidationOf(config) ? serializerCompiler : plainSerializerCompiler);
  app.decorateRequest('caller', undefined);
  app.decorateRequest('verifiedToken', undefined);
  // The API speaks JSON only: any other body is 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');

  registerTraceContext(app);
  registerErrorHandling(app, metrics);
  const extra = config.CSP_EXTRA_SOURCES.split(/\s+/).filter(Boolean);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...extra],
        styleSrc: ["'self'", "'unsafe-inline'", ...extra],
        imgSrc: ["'self'", 'data:', ...extra],
      },
    },
    strictTransportSecurity: config.HSTS_MAX_AGE_S > 0 ? { maxAge: config.HSTS_MAX_AGE_S, includeSubDomains: true } : false,
    xFrameOptions: { action: config.FRAME_OPTIONS === 'DENY' ? 'deny' : 'sameorigin' },
  });
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  await app.register(cors, { origin: origins.length > 0 ? origins : false, exposedHeaders: ['x-trace-id'] });
  await registerDocs(app);

  const observe = metrics.httpRequests;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    observe.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ route, status: reply.statusCode }, 'request failed');
  });

  // The gateway answers the ops endpoints on its public port too (API.md: Health).
  registerOpsRoutes(app, { registry: metrics.registry, checks, ...(isShuttingDown ? { isShuttingDown } : {}) });
  if (api) await registerApi(app, config, logger, metrics, api);
  return app;
}
