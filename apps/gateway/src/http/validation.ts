import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';

/**
 * The zod validator, except that an empty query parameter (`?lat=`) counts as not given: a
 * coerced number would otherwise read it as 0 and `?lat=&lng=` would search at 0,0.
 */
export const queryAwareValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'querystring') return validate;
  return (data) => validate(withoutEmpty(data));
};

function withoutEmpty(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const entries = Object.entries(data as Record<string, unknown>);
  if (!entries.some(([, value]) => value === '')) return data;
  return Object.fromEntries(entries.filter(([, value]) => value !== ''));
}
