import { driverAdminRouteList, routeList } from '@uitgo/contracts';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openApiDocument.js';

describe('OpenAPI document', () => {
  type Operation = { operationId: string; parameters: unknown[]; responses: Record<string, unknown> };
  const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, Operation>> };

  it('lists every route of the contract with its error responses', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations).toHaveLength(routeList.length);
    for (const op of operations) {
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s >= 200 && s < 300), op.operationId).toBe(true);
      expect(statuses.some((s) => s >= 400), op.operationId).toBe(true);
    }
  });

  it('documents the trip creation contract from API.md', () => {
    const create = doc.paths['/api/v1/trips']!.post!;
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true }));
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409', '422']));
    expect(create.responses['409']).toMatchObject({ description: expect.stringContaining('`QUOTE_ALREADY_USED`: This quote was already used for a trip; ask for a new one') });
    expect(doc.paths['/api/v1/trips/{id}']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
  });

  it('documents the admin track route next to the contract routes', () => {
    const withAdmin = buildOpenApiDocument([...routeList, ...driverAdminRouteList]) as typeof doc;
    const track = withAdmin.paths['/api/v1/drivers/{id}/track']!.get!;
    expect(track.operationId).toBe('getDriverTrack');
    expect(track.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      expect.objectContaining({ name: 'from', in: 'query', required: true }),
      expect.objectContaining({ name: 'to', in: 'query', required: true }),
      expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
    ]));
    expect(Object.keys(track.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
  });
});
