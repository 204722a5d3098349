import { defaultMessageOf, httpStatusOf, validationDetails, type ErrorBody, type ErrorCode } from '@uitgo/contracts';
import { AppError, type ServiceMetrics } from '@uitgo/kit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message?: string, details?: unknown) {
  const body: ErrorBody = { code, message: message ?? defaultMessageOf(code), traceId: request.traceId };
  if (details !== undefined) body.details = details;
  const retryAfterS = (details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
  if (code === 'RATE_LIMITED' && typeof retryAfterS === 'number') reply.header('retry-after', String(Math.ceil(retryAfterS)));
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
      if (error.httpStatus >= 500) request.log.warn({ err: error }, 'dependency failure');
      return sendError(reply, request, error.code, error.message, error.details);
    }
    const code = frameworkCode(error);
    if (code) return sendError(reply, request, code, error.message);
    metrics.errors.labels('http').inc();
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL', 'Internal error; the trace id identifies it in the logs');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs`),
  );
}
