import { API_PREFIX, type RouteDescriptor } from '@uitgo/contracts';
import { AppError, type Caller, type RequestContext } from '@uitgo/kit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import type { VerifiedToken } from '../auth/accessTokenVerifier.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { IdempotencyKeys, StoredResponse } from './idempotency.js';
import type { RateLimit, RateLimiter } from './rateLimiter.js';
import { requestContextOf, spanContextOf } from './traceContext.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication on signed-in routes. */
    caller: (Caller & { sessionId: string }) | undefined;
    /** The verified access token's claims, on signed-in routes. */
    verifiedToken: VerifiedToken | undefined;
  }
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Sent<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a handler gets: the validated request parts and, on signed-in routes, the caller. */
export interface RouteInput<R extends RouteDescriptor> {
  body: Parsed<R['body']>;
  query: Parsed<R['query']>;
  params: Parsed<R['params']>;
  caller: R['auth'] extends 'public' ? undefined : Caller & { sessionId: string };
  /** Trace id and caller, passed to gRPC calls as `{ context }` so they travel as metadata. */
  context: RequestContext;
  request: FastifyRequest;
}

/** The success body of the route (its single 2xx response); `undefined` for 204. */
export type RouteResult<R extends RouteDescriptor> = { [S in keyof R['responses']]: Sent<R['responses'][S]> }[keyof R['responses']];

export type RouteHandler<R extends RouteDescriptor> = (input: RouteInput<R>) => Promise<RouteResult<R>>;

export interface RouteServices {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyKeys;
  limits: { public: RateLimit; signedIn: RateLimit };
  bodyLimit: number;
}

export type RouteRegistrar = <R extends RouteDescriptor>(descriptor: R, handler: RouteHandler<R>) => void;

/**
 * Fastify validates a request that has no body as `null`. A body the contract makes optional
 * (`POST /trips/{id}/cancel`) must then accept that, arriving at the handler as `undefined`.
 */
function bodySchemaOf(body: z.ZodType): z.ZodType {
  return body.safeParse(undefined).success ? z.preprocess((value) => value ?? undefined, body) : body;
}

/**
 * Registers a contract route: its zod schemas validate the request (400 naming the fields),
 * `descriptor.auth` decides who may call (401/403), rate limits apply per address on public
 * routes and per user on signed-in ones (429), the handler gets the request's trace id and
 * caller as `context` (for its gRPC calls), and Idempotency-Key is honoured when the
 * descriptor takes one.
 */
export function routeRegistrar(app: FastifyInstance, services: RouteServices): RouteRegistrar {
  return (descriptor, handler) => registerRoute(app, services, descriptor, handler);
}

export function registerRoute<R extends RouteDescriptor>(
  app: FastifyInstance,
  services: RouteServices,
  descriptor: R,
  handler: RouteHandler<R>,
): void {
  const successStatus = successStatusOf(descriptor);
  const responseSchema = descriptor.responses[successStatus];
  app.route({
    method: descriptor.method,
    url: `${API_PREFIX}${descriptor.path}`,
    bodyLimit: services.bodyLimit,
    schema: {
      ...(descriptor.body ? { body: bodySchemaOf(descriptor.body) } : {}),
      ...(descriptor.query ? { querystring: descriptor.query } : {}),
      ...(descriptor.params ? { params: descriptor.params } : {}),
      ...(descriptor.headers ? { headers: descriptor.headers } : {}),
      ...(responseSchema ? { response: { [successStatus]: responseSchema } } : {}),
    },
    // Before the body is read: a caller who may not call does not get to upload a body.
    onRequest: accessCheck(descriptor, services),
    handler: async (request, reply) => {
      const run = async (): Promise<StoredResponse> => {
        const context = requestContextOf(request);
        const input = {
          body: request.body,
          query: request.query,
          params: request.params,
          caller: request.caller,
          context,
          request,
        } as RouteInput<R>;
        return { status: successStatus, body: await handler(input) };
      };
      const key = descriptor.idempotencyKey ? idempotencyKeyOf(request, descriptor.idempotencyKey) : undefined;
      const outcome = key
        ? await services.idempotency.execute(
            {
              scope: request.caller?.userId ?? 'anonymous',
              route: descriptor.operationId,
              key,
              payload: { params: request.params ?? null, body: request.body ?? null },
              traceId: request.traceId,
              context: spanContextOf(request),
            },
            run,
          )
        : { ...(await run()), replayed: false };
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(outcome.status);
      if (outcome.body === undefined) return reply.send();
      if (outcome.status >= 400) reply.type('application/json');
      return reply.send(outcome.body);
    },
  });
}

function accessCheck(descriptor: RouteDescriptor, services: RouteServices): onRequestHookHandler {
  const { auth } = descriptor;
  if (auth === 'public') {
    return async (request) => {
      await services.rateLimiter.hit(`ip:${request.ip}`, services.limits.public, spanContextOf(request));
    };
  }
  const roles: readonly string[] | undefined = auth === 'signed-in' ? undefined : auth;
  return async (request) => {
    const { token, ...caller } = await services.authenticator.verifyBearer(request.headers.authorization);
    // The session check and the rate-limit count are independent Redis round trips: sent together.
    // Every validly signed request counts, including those then refused as revoked or forbidden.
    const [live, counted] = await Promise.allSettled([
      services.authenticator.assertLive(caller.sessionId),
      services.rateLimiter.hit(`user:${caller.userId}`, services.limits.signedIn, spanContextOf(request)),
    ]);
    if (live.status === 'rejected') throw live.reason;
    request.caller = caller;
    request.verifiedToken = token;
    if (roles && !roles.includes(caller.role)) {
      throw new AppError('FORBIDDEN', `Only ${roles.join(' or ')} may call ${descriptor.method} ${descriptor.path}`);
    }
    if (counted.status === 'rejected') throw counted.reason;
  };
}

function idempotencyKeyOf(request: FastifyRequest, mode: 'required' | 'optional'): string | undefined {
  const raw = request.headers['idempotency-key'];
  const key = typeof raw === 'string' && raw !== '' ? raw : undefined;
  if (!key && mode === 'required') {
    throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key header is required', {
      fields: [{ path: 'headers.idempotency-key', message: 'required' }],
    });
  }
  return key;
}

function successStatusOf(descriptor: RouteDescriptor): number {
  const status = Object.keys(descriptor.responses).map(Number).find((s) => s >= 200 && s < 300);
  if (status === undefined) throw new Error(`route ${descriptor.operationId} has no success response`);
  return status;
}
