import { DrizzleQueryError } from 'drizzle-orm';
import http2, { type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { CallContext } from 'nice-grpc';
import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBeforeDeadline, requestContextOf, runWithContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import type { RunningService } from '../service.js';
import { startTestService, TestServiceDefinition } from '../testing/jsonService.js';
import { createGrpcClient, openChannel, type GrpcClient } from './client.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

describe('kit gRPC server and client', () => {
  let service: RunningService;
  let client: GrpcClient<typeof TestServiceDefinition>;
  const metrics = createMetrics('test', { defaults: false });

  beforeAll(async () => {
    service = await startTestService('test', {
      async echo(request: Record<string, unknown>, context: CallContext) {
        const ctx = requestContextOf(context);
        return { ...request, traceId: ctx?.traceId, caller: ctx?.caller ?? null, deadlineAt: ctx?.deadlineAt ?? null };
      },
      async fail(request: Record<string, unknown>) {
        if (request.kind === 'domain') throw new AppError('TRIP_NOT_FOUND', 'Trip t-1 not found', { tripId: 't-1' });
        // What drizzle throws for a NUL byte in a text parameter: the driver's error (with the SQLSTATE) as its cause.
        if (request.kind === 'nul') {
          const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
          throw new DrizzleQueryError('insert into users (full_name) values ($1)', ['x\u0000'], driverError);
        }
        throw new Error('boom with secret internals');
      },
      async slow(_request: Record<string, unknown>, context: CallContext) {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
        return { aborted: context.signal.aborted };
      },
      async *watch(_request: Record<string, unknown>, context: CallContext) {
        yield { n: 1, traceId: requestContextOf(context).traceId };
        yield { n: 2, traceId: requestContextOf(context).traceId };
      },
    }, { logger: createLogger({ service: 'test', level: 'info', destination: sink }), metrics, checks: { always: async () => undefined } });
    client = createGrpcClient(TestServiceDefinition, openChannel(service.grpcAddress), { deadlineMs: 2_000, metrics });
  });

  afterAll(() => service.stop());

  it('carries the trace id and caller of the request to the handler', async () => {
    const context = { traceId: 'trace-abc-123', caller: { userId: 'u1', role: 'passenger' as const } };
    const response = await client.echo({ hello: 'world' }, { context });
    expect(response).toEqual({ hello: 'world', traceId: 'trace-abc-123', caller: context.caller, deadlineAt: expect.any(Number) });
  });

  it('falls back to the async context where a test sets one', async () => {
    const ctx = { traceId: 'trace-als-1', caller: { userId: 'u2', role: 'driver' as const } };
    const response = await runWithContext(ctx, () => client.echo({}));
    expect(response).toMatchObject({ traceId: 'trace-als-1', caller: ctx.caller });
  });

  it('keeps the context across a server stream', async () => {
    const seen: unknown[] = [];
    for await (const item of client.watch({}, { context: { traceId: 'trace-stream-1' } })) seen.push(item);
    expect(seen).toEqual([
      { n: 1, traceId: 'trace-stream-1' },
      { n: 2, traceId: 'trace-stream-1' },
    ]);
  });

  it('turns a domain error into the same AppError on the client', async () => {
    const err = await client.fail({ kind: 'domain' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'TRIP_NOT_FOUND', message: 'Trip t-1 not found', details: { tripId: 't-1' } });
  });

  it('hides unexpected errors behind INTERNAL and logs them with the trace id', async () => {
    const err = await client.fail({ kind: 'bug' }, { context: { traceId: 'trace-internal-1' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTERNAL', message: 'Internal error' });
    const logged = lines.find((l) => l.traceId === 'trace-internal-1');
    expect(logged).toMatchObject({ level: 'error', msg: 'unhandled error in gRPC handler' });
  });

  it('answers text the database cannot store as the caller\'s mistake, not INTERNAL', async () => {
    const err = await client.fail({ kind: 'nul' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400, message: expect.stringContaining('NUL byte') });
  });

  it("gives the handler's context the caller's deadline, or the server's default, for writes to check", async () => {
    const before = Date.now();
    const withDeadline = (await client.echo({}, { deadline: 1_500 })) as { deadlineAt: number };
    expect(withDeadline.deadlineAt).toBeGreaterThanOrEqual(before + 1_500);
    expect(withDeadline.deadlineAt).toBeLessThanOrEqual(Date.now() + 1_500);
    const bare = createClient(TestServiceDefinition, createChannel(service.grpcAddress));
    const withDefault = (await bare.echo({})) as { deadlineAt: number };
    // startService's default deadline: 30 s.
    expect(withDefault.deadlineAt).toBeGreaterThanOrEqual(before + 29_000);
    expect(() => assertBeforeDeadline({ traceId: 't', deadlineAt: Date.now() + 1_000 })).not.toThrow();
    expect(() => assertBeforeDeadline({ traceId: 't', deadlineAt: Date.now() - 1 })).toThrow(expect.objectContaining({ code: 'DEADLINE_EXCEEDED' }));
    expect(() => assertBeforeDeadline({ traceId: 't' })).not.toThrow();
  });

  it('enforces the client deadline and tells the server', async () => {
    const err = await client.slow({}, { deadline: 150 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('records RED metrics per method and code', async () => {
    await client.echo({});
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/grpc_server_handling_seconds_count\{service="test",method="\/uitgo\.test\.v1\.TestService\/Echo",code="OK"\} \d+/);
    expect(text).toMatch(/grpc_server_handling_seconds_count\{service="test",method="\/uitgo\.test\.v1\.TestService\/Fail",code="NOT_FOUND"\} 1/);
  });

  it('answers grpc.health.v1 and the ops endpoints', async () => {
    const health = createClient(HealthDefinition, createChannel(service.grpcAddress));
    expect(await health.check({ service: '' })).toMatchObject({ status: 1 });
    expect(await (await fetch(`${service.opsUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${service.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
    expect(await (await fetch(`${service.opsUrl}/metrics`)).text()).toContain('grpc_server_handling_seconds');
  });
});

describe('kit gRPC client over a broken connection', () => {
  // grpc-js reports a reset stream as INTERNAL (a closed session it already reports as UNAVAILABLE):
  // either way the caller gets 503 and is told to try again, never a 500.
  it.each([
    ['the stream is reset', (stream: ServerHttp2Stream) => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR)],
    ['the session is closed', (stream: ServerHttp2Stream) => stream.session?.destroy(undefined, http2.constants.NGHTTP2_INTERNAL_ERROR)],
  ])('answers UNAVAILABLE (try again), not INTERNAL, when %s under the call', async (_what, breakIt) => {
    const server = http2.createServer();
    server.on('stream', (stream) => {
      stream.on('error', () => undefined);
      breakIt(stream);
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const channel = openChannel(`127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const broken = createGrpcClient(TestServiceDefinition, channel, { deadlineMs: 5_000 });
      const err = await broken.echo({}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/try again/) });
      expect((err as AppError).httpStatus).toBe(503);
      // What broke stays with the error for the logs (pino prints causes); the client sees only the message.
      expect((err as AppError).cause).toMatchObject({ code: expect.any(Number), details: expect.stringMatching(/RST_STREAM|dropped/) });
    } finally {
      channel.close();
      await new Promise((closed) => server.close(closed));
    }
  });
});
