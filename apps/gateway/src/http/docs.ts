import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { driverAdminRouteList, routeList, userAdminRouteList } from '@uitgo/contracts';
import { buildOpenApiDocument } from '../openapi/openApiDocument.js';
import { jwksRoute } from '../routes/jwksRoute.js';

/** OpenAPI 3 at `/docs/json` (and `/docs/yaml`), Swagger UI at `/docs`. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: buildOpenApiDocument([...routeList, ...driverAdminRouteList, ...userAdminRouteList, jwksRoute]) as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, persistAuthorization: true, displayRequestDuration: true },
    staticCSP: true,
  });
}
