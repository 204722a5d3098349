import { acceptTraceId } from '@uitgo/kit';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
  }
}

export const TRACE_HEADER = 'x-trace-id';

/** Every request gets a trace id (the caller's, if well-formed), echoed in `x-trace-id`. */
export function registerTraceContext(app: FastifyInstance): void {
  app.decorateRequest('traceId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.traceId = acceptTraceId(request.headers[TRACE_HEADER] as string | undefined);
    reply.header(TRACE_HEADER, request.traceId);
  });
}
