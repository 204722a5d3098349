import type { IncomingMessage } from 'node:http';
import { acceptTraceId } from '@uitgo/kit';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
  }
}

export const TRACE_HEADER = 'x-trace-id';

/**
 * Fastify's request id is the trace id (the caller's, if well-formed): pass this as `genReqId`
 * and every log line of the request carries it, under the `traceId` label.
 */
export const traceIdOf = (raw: IncomingMessage): string => acceptTraceId(raw.headers[TRACE_HEADER] as string | undefined);

/** Every request gets its trace id as `request.traceId`, echoed in `x-trace-id`. */
export function registerTraceContext(app: FastifyInstance): void {
  app.decorateRequest('traceId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.traceId = request.id;
    reply.header(TRACE_HEADER, request.traceId);
  });
}
