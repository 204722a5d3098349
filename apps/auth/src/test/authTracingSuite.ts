import { randomUUID } from 'node:crypto';
import { common } from '@uitgo/grpc';
import { newTraceId, SpanKind } from '@uitgo/kit';
import { startSpanRecorder, type ReadableSpan, type SpanRecorder } from '@uitgo/kit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAuthService, type AuthClient, type RunningAuth, type StartAuth } from './authServiceSuite.js';

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

/**
 * With tracing on, what a call does (SQL, Redis, the user service, the outbox relay's publish)
 * nests under its gRPC server span, in the caller's trace. `redis`: the key-value store is Redis.
 */
export function authTracingSuite(start: StartAuth, { redis }: { redis: boolean }): void {
  let recorder: SpanRecorder;
  let service: RunningAuth;
  let client: AuthClient;
  // Before the service (hooks run in order; after-hooks in reverse): its servers and clients add
  // their tracing hooks only when tracing is on.
  beforeAll(async () => {
    recorder = await startSpanRecorder('auth');
  });
  afterAll(() => recorder?.stop());
  runAuthService(start, (running, runningClient) => {
    service = running;
    client = runningClient;
  });

  const spansOf = (traceId: string, ready: (spans: ReadableSpan[]) => boolean) => recorder.settled(traceId, ready);
  const serverSpan = (spans: ReadableSpan[], method: string) => spans.find((s) => s.kind === SpanKind.SERVER && s.name === `uitgo.auth.v1.AuthService/${method}`);
  const register = (traceId: string) =>
    client.register({ email: `traced-${randomUUID().slice(0, 8)}@example.com`, password: 'correct-Horse-42', fullName: 'Tâm', role: common.Role.ROLE_PASSENGER }, { context: { traceId } });

  it("makes a call's SQL statements and transactions spans under its gRPC server span", async () => {
    const traceId = newTraceId();
    await register(traceId);
    const spans = await spansOf(traceId, (found) => serverSpan(found, 'Register') !== undefined);
    const server = serverSpan(spans, 'Register')!;
    const named = (name: string) => spans.filter((s) => s.name === name);

    const [lookup] = named('SELECT "auth"."users"');
    expect(parentOf(lookup)).toBe(idOf(server));
    expect(lookup!.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.operation.name': 'SELECT' });
    const [insertUser] = named('INSERT "auth"."users"');
    const [insertEvent] = named('INSERT "auth"."outbox"');
    const transaction = spans.find((s) => s.name === 'transaction' && idOf(s) === parentOf(insertUser));
    expect(parentOf(transaction)).toBe(idOf(server));
    expect(parentOf(insertEvent)).toBe(idOf(transaction!));
    const [insertSession] = named('INSERT "auth"."sessions"');
    expect(spans.find((s) => idOf(s) === parentOf(insertSession))).toMatchObject({ name: 'transaction', parentSpanContext: { spanId: idOf(server) } });
    // The user service is down here: the CreateProfile call fails, still a span of this request.
    const createProfile = spans.find((s) => s.kind === SpanKind.CLIENT && s.name === 'uitgo.user.v1.UserService/CreateProfile');
    expect(parentOf(createProfile)).toBe(idOf(server));
  });

  it('publishes the event from the outbox under the span of the request that wrote it', async () => {
    const traceId = newTraceId();
    await register(traceId);
    await service.runtime.outbox.flush();
    const spans = await spansOf(traceId, (found) => found.some((s) => s.name === 'publish uitgo.identity.v1'));
    const publish = spans.find((s) => s.name === 'publish uitgo.identity.v1')!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(publish)).toBe(idOf(serverSpan(spans, 'Register')!));
  });

  // Only where the key-value store is Redis: the in-process store makes no client calls to trace.
  if (redis) {
    it("makes the login throttle's Redis commands spans of the call", async () => {
      const traceId = newTraceId();
      await expect(client.login({ email: `nobody-${randomUUID()}@example.com`, password: 'wrong-Password-9' }, { context: { traceId } })).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
      const spans = await spansOf(traceId, (found) => serverSpan(found, 'Login') !== undefined);
      const commands = spans.filter((s) => s.attributes['db.system'] === 'redis');
      // The attempt is reserved with one atomic increment; a failure keeps it, so nothing else runs.
      expect(commands.map((s) => s.name)).toEqual(['EVALSHA incrBy']);
      expect(commands.every((s) => parentOf(s) === idOf(serverSpan(spans, 'Login')!))).toBe(true);
    });
  }
}
