import type { z } from 'zod';
import type { Role } from './common.js';
import type { ErrorCode } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. Roles are checked by the gateway; finer rules ("its passenger",
 * "the assigned driver") are decided by the owning service and answer FORBIDDEN.
 */
export type RouteAuth = 'public' | 'signed-in' | readonly Role[];

export const ROUTE_TAGS = ['auth', 'users', 'documents', 'drivers', 'trips'] as const;
export type RouteTag = (typeof ROUTE_TAGS)[number];

/** A response schema, or `null` for a response without a body (204). */
export type ResponseSchema = z.ZodType | null;

/** One REST route, as data: the gateway registers it and the OpenAPI document is built from it. */
export interface RouteDescriptor {
  /** Unique, stable: OpenAPI operationId and the key in `routes`. */
  operationId: string;
  method: HttpMethod;
  /** Fastify-style path relative to `API_PREFIX`, e.g. `/trips/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly RouteTag[];
  auth: RouteAuth;
  /** Whether the route takes an `Idempotency-Key` header (see API.md, Idempotency). */
  idempotencyKey?: 'required' | 'optional';
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  headers?: z.ZodType;
  /** Success responses by status code. */
  responses: Readonly<Record<number, ResponseSchema>>;
  /** Errors specific to this route; `errorCodesOf` adds the ones every route of its kind can return. */
  errors: readonly ErrorCode[];
}

/** Identity function that checks a descriptor while keeping its exact schema types for handlers. */
export function defineRoute<const R extends RouteDescriptor>(route: R): R {
  return route;
}
