import { defaultMessageOf, httpStatusOf, validationDetails, type ErrorBody, type ErrorCode } from '@uitgo/contracts';
import { AppError, newTraceId, Overloaded, type ServiceMetrics } from '@uitgo/kit';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message?: string, details?: unknown) {
  const body: ErrorBody = { code, message: message ?? defaultMessageOf(code), traceId: request.traceId };
  if (details !== undefined) body.details = details;
  const retryAfterS = (details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
  if ((code === 'RATE_LIMITED' || code === 'UNAVAILABLE') && typeof retryAfterS === 'number') reply.header('retry-after', String(Math.ceil(retryAfterS)));
  return reply.code(httpStatusOf(code)).type('application/json').send(body);
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type) by status: never a 500. */
function frameworkCode(error: FastifyError): ErrorCode | undefined {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  return 'VALIDATION_FAILED';
}

/**
 * The single place where failures become HTTP: validation -> 400 naming the fields, domain
 * errors (also those decoded from gRPC) -> their catalogued status, anything else -> 500, logged.
 */
export function registerErrorHandling(app: FastifyInstance, metrics: ServiceMetrics): void {
  // An empty JSON body is no body: routes whose body is optional (logout, cancel) accept it,
  // the others refuse it as a missing body naming the field. Anything else parses as Fastify's
  // own (prototype-poisoning-safe) JSON parser does.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return json(request, text, done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const fields = error.validation.map((issue) => ({
        path: [where, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'invalid',
      }));
      return sendError(reply, request, 'VALIDATION_FAILED', `Invalid ${where}: ${fields.map((f) => f.path).join(', ')}`, { fields });
    }
    if (error instanceof ZodError) {
      return sendError(reply, request, 'VALIDATION_FAILED', 'Invalid request', validationDetails(error));
    }
    if (error instanceof AppError) {
      // A refusal for load is counted (grpc_client_shed_total), not logged: there are many while it lasts.
      if (error.httpStatus >= 500 && !(error instanceof Overloaded)) request.log.warn({ err: error }, 'dependency failure');
      return sendError(reply, request, error.code, error.message, error.details);
    }
    const code = frameworkCode(error);
    // Unparseable JSON and the like: the whole body is the field at fault.
    if (code === 'VALIDATION_FAILED') return sendError(reply, request, code, error.message, { fields: [{ path: 'body', message: error.message }] });
    if (code) return sendError(reply, request, code, error.message);
    metrics.errors.labels('http').inc();
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL', 'Internal error; the trace id identifies it in the logs');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs`),
  );
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers too large, malformed
 * request lines) still get the API's error body and a trace id, then the connection closes.
 */
export function answerClientError(error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy(error);
    return;
  }
  const [code, reason, message]: [ErrorCode, string, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'Request Header Fields Too Large', 'The request headers are too large; send fewer or shorter headers']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'Request Timeout', 'The request did not arrive in time; send it again']
        : ['VALIDATION_FAILED', 'Bad Request', 'The request is not valid HTTP'];
  const traceId = newTraceId();
  const body: ErrorBody = { code, message, traceId };
  const payload = JSON.stringify(body);
  const status = httpStatusOf(code);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nx-trace-id: ${traceId}\r\nconnection: close\r\n\r\n${payload}`,
  );
}
