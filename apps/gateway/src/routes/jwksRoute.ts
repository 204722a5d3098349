import { API_PREFIX, defineRoute } from '@uitgo/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JwksKeySet } from '../auth/jwksKeySet.js';

const Jwk = z.object({
  kid: z.string(),
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  y: z.string().optional(),
  alg: z.string(),
  use: z.string(),
});

/** Not in the contracts package: the gateway alone publishes it, for clients that verify tokens themselves. */
export const jwksRoute = defineRoute({
  operationId: 'getJwks',
  method: 'GET',
  path: '/.well-known/jwks.json',
  summary: 'Public keys that verify access tokens (RFC 7517)',
  tags: ['auth'],
  auth: 'public',
  responses: { 200: z.object({ keys: z.array(Jwk) }) },
  errors: [],
});

/** Served from the gateway's cached key set, so it costs the auth service nothing per request. */
export function registerJwksRoute(app: FastifyInstance, keys: JwksKeySet): void {
  app.get(`${API_PREFIX}${jwksRoute.path}`, { schema: { response: jwksRoute.responses } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    const published = await keys.publicKeys();
    return { keys: published.map(({ y, ...key }) => (y ? { ...key, y } : key)) };
  });
}
