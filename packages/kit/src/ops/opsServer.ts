import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** A readiness check: resolves when the dependency answers, throws with a reason otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface OpsServerOptions {
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
  /** Each check gets this long before it counts as failed. */
  checkTimeoutMs?: number;
  isShuttingDown?: () => boolean;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (503 naming the ones
 * that do not, and while shutting down). `/metrics`: Prometheus text format.
 */
export function createOpsServer(options: OpsServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, options);
  return app;
}

/** The same endpoints on an existing server (the gateway serves them on its public port). */
export function registerOpsRoutes(app: FastifyInstance, { registry, checks, checkTimeoutMs = 2_000, isShuttingDown }: OpsServerOptions): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (isShuttingDown?.()) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name]!, checkTimeoutMs)));
    const report = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const ok = results.every((r) => r === 'ok');
    return reply.code(ok ? 200 : 503).send(ok ? { status: 'ok', checks: report } : { status: 'unavailable', checks: report });
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
