import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorCodesOf, errorResponsesOf, toOpenApiPath } from './openapi.js';
import { routeList, routes } from './routes.js';

function schemasOf(route: (typeof routeList)[number]): Array<[string, z.ZodType]> {
  const parts: Array<[string, z.ZodType | null | undefined]> = [
    ['body', route.body],
    ['query', route.query],
    ['params', route.params],
    ['headers', route.headers],
    ...Object.entries(route.responses).map(([status, schema]): [string, z.ZodType | null] => [status, schema]),
  ];
  return parts.filter((part): part is [string, z.ZodType] => part[1] != null);
}

/** Every route in /work/shared/API.md's tables, in Fastify path syntax. */
const API_MD_ROUTES = [
  'POST /auth/register', 'POST /auth/login', 'POST /auth/refresh', 'POST /auth/logout', 'GET /auth/me',
  'GET /users/me', 'PATCH /users/me', 'POST /users/me/documents', 'POST /users/me/documents/:id/complete',
  'GET /users/me/documents', 'GET /users', 'GET /users/:id', 'POST /users/:id/verification',
  'PUT /drivers/me', 'GET /drivers/me', 'POST /drivers/me/online', 'POST /drivers/me/offline',
  'PUT /drivers/me/location', 'POST /drivers/me/locations', 'GET /drivers/nearby', 'GET /drivers/me/offers',
  'POST /trips/quote', 'POST /trips', 'GET /trips/:id', 'GET /trips', 'POST /trips/:id/accept',
  'POST /trips/:id/decline', 'POST /trips/:id/arrive', 'POST /trips/:id/start', 'POST /trips/:id/complete',
  'POST /trips/:id/cancel', 'GET /trips/:id/receipt', 'POST /trips/:id/rating',
];

describe('route descriptors', () => {
  it('covers every API.md route once', () => {
    const keys = routeList.map((route) => `${route.method} ${route.path}`);
    expect([...keys].sort()).toEqual([...API_MD_ROUTES].sort());
    expect(new Set(routeList.map((route) => route.operationId)).size).toBe(routeList.length);
  });

  it.each(routeList.map((route) => [route.operationId, route] as const))('%s converts to JSON Schema', (_id, route) => {
    for (const [part, schema] of schemasOf(route)) {
      expect(() => z.toJSONSchema(schema, { io: 'input' }), part).not.toThrow();
    }
  });

  it('declares params exactly when the path has them', () => {
    for (const route of routeList) {
      expect(route.params !== undefined, route.operationId).toBe(route.path.includes(':'));
    }
  });

  it('requires an Idempotency-Key on POST /trips', () => {
    expect(routes.createTrip.idempotencyKey).toBe('required');
    expect(routes.createTrip.headers.safeParse({}).success).toBe(false);
  });
});

describe('openapi helpers', () => {
  it('converts Fastify paths', () => {
    expect(toOpenApiPath('/users/me/documents/:id/complete')).toBe('/users/me/documents/{id}/complete');
  });

  it('lists implied and specific errors by status', () => {
    expect(errorCodesOf(routes.login)).not.toContain('UNAUTHENTICATED');
    const responses = errorResponsesOf(routes.getTrip);
    expect(responses[404]?.codes).toEqual(['TRIP_NOT_FOUND']);
    expect(responses[400]?.codes).toEqual(['VALIDATION_FAILED']);
    expect(responses[401]?.codes).toContain('UNAUTHENTICATED');
    expect(responses[404]?.description).toContain('Trip not found');
  });
});
