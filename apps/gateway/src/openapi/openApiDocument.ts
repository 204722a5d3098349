import {
  API_PREFIX,
  ErrorBody,
  errorResponsesOf,
  openApiDocumentBase,
  routeList,
  securityOf,
  toOpenApiPath,
  type RouteDescriptor,
} from '@uitgo/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;

/** Turns an object schema (params, query, headers) into OpenAPI parameters. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query' | 'header'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function operationOf(route: RouteDescriptor): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = schema
      ? { description: 'Success', content: { 'application/json': { schema: toSchema(schema, 'output') } } }
      : { description: 'Success, no body' };
  }
  for (const [status, doc] of Object.entries(errorResponsesOf(route))) {
    responses[status] = {
      description: doc.description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    security: securityOf(route),
    parameters: [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...parametersOf(route.headers, 'header'),
    ],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3 document, generated from the contracts package: the same zod schemas the
 * gateway validates with, so the document cannot drift from what the API accepts.
 */
export function buildOpenApiDocument(routes: readonly RouteDescriptor[] = routeList): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `${API_PREFIX}${toOpenApiPath(route.path)}`;
    (paths[path] ??= {})[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    ...openApiDocumentBase,
    components: { ...openApiDocumentBase.components, schemas: { ErrorBody: toSchema(ErrorBody, 'output') } },
    paths,
  };
}
