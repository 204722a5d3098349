import { Writable } from 'node:stream';
import { createLogger, createMetrics } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import { buildGateway } from '../app.js';
import { gatewayConfigSchema } from '../config.js';

describe('trace ids in the gateway logs', () => {
  it('logs a failing request under the trace id of its response', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const app = await buildGateway({
      config: gatewayConfigSchema.parse({}),
      logger: createLogger({ service: 'gateway', level: 'info', destination: sink }),
      metrics: createMetrics('gateway', { defaults: false }),
      checks: {},
    });
    app.get('/test/boom', async () => {
      throw new Error('a bug');
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/test/boom', headers: { 'x-trace-id': 'client-trace-logs-1' } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: 'INTERNAL', traceId: 'client-trace-logs-1' });
      expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'unhandled error', traceId: 'client-trace-logs-1' }));
    } finally {
      await app.close();
    }
  });
});
