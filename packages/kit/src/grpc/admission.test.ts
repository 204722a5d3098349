import type { CallContext } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createMetrics } from '../metrics.js';
import type { RunningService } from '../service.js';
import { startTestService, TestServiceDefinition } from '../testing/jsonService.js';
import { AdmissionControl, Overloaded } from './admission.js';
import { createGrpcClient, openChannel, type GrpcClient } from './client.js';
import { manualClock, type ManualClock } from '../testing/manualClock.js';

const M = '/svc/Method';

// Calls "take" whatever time the test's clock moves between admit and done.

/**
 * Steady traffic for `forMs`: a call offered every `everyMs`, each admitted one answered
 * `latencyMs` after it was admitted. Returns the calls still in flight at the end (their
 * admission times) and how many were refused.
 */
function traffic(admission: AdmissionControl, time: ManualClock, { everyMs, latencyMs, forMs }: { everyMs: number; latencyMs: number; forMs: number }) {
  let inFlight: number[] = [];
  let refused = 0;
  for (let elapsed = 0; elapsed < forMs; elapsed++, time.advance(1)) {
    for (const at of inFlight.filter((at) => time.now() - at >= latencyMs)) admission.done(M, at);
    inFlight = inFlight.filter((at) => time.now() - at < latencyMs);
    if (elapsed % everyMs !== 0) continue;
    try {
      inFlight.push(admission.admit(M));
    } catch (err) {
      expect(err).toBeInstanceOf(Overloaded);
      refused++;
    }
  }
  return { inFlight, refused };
}

/** Admits calls until one is refused; returns how many were admitted and the refusal. */
function admitUntilRefused(admission: AdmissionControl): { admitted: number; refusal: unknown } {
  for (let admitted = 0; admitted < 10_000; admitted++) {
    try {
      admission.admit(M);
    } catch (refusal) {
      return { admitted, refusal };
    }
  }
  return { admitted: 10_000, refusal: undefined };
}

describe('AdmissionControl', () => {
  it('admits any burst while answers come back fast, whatever is in flight', () => {
    const time = manualClock();
    const admission = new AdmissionControl({ budgetMs: 1_000, minInFlight: 4, windowMs: 100, now: time.now });
    expect(traffic(admission, time, { everyMs: 5, latencyMs: 10, forMs: 2_000 }).refused).toBe(0);
    expect(admitUntilRefused(admission).admitted).toBe(10_000);
  });

  it('refuses once a saturated method would make a new call wait longer than the budget', () => {
    const time = manualClock();
    const admission = new AdmissionControl({ budgetMs: 1_000, minInFlight: 4, windowMs: 100, now: time.now });
    // One answer every 10 ms, each after 600 ms (more than half the budget): saturated, answering
    // 0.1 calls/ms, so about 100 calls may be in flight; 60 are, none was refused.
    const { inFlight, refused } = traffic(admission, time, { everyMs: 10, latencyMs: 600, forMs: 3_000 });
    expect([inFlight.length, refused]).toEqual([60, 0]);
    const { admitted, refusal } = admitUntilRefused(admission);
    // (the rate is measured over windows of about 100 ms: a few answers either way)
    expect(60 + admitted).toBeGreaterThanOrEqual(85);
    expect(60 + admitted).toBeLessThanOrEqual(110);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, details: { retryAfterS: 1 } });
    // Another method has its own estimate.
    expect(() => admission.admit('/svc/Other')).not.toThrow();
  });

  it('holds the queue near the budget under overload, and stops refusing once answers are fast again', () => {
    const time = manualClock();
    const admission = new AdmissionControl({ budgetMs: 1_000, minInFlight: 4, windowMs: 100, now: time.now });
    // A call every 2 ms, each after 2,000 ms: left alone, 1,000 would be in flight, each waiting 2 s.
    const overload = traffic(admission, time, { everyMs: 2, latencyMs: 2_000, forMs: 10_000 });
    expect(overload.refused).toBeGreaterThan(0);
    expect(overload.inFlight.length).toBeLessThan(1_000);
    const held = admitUntilRefused(admission);
    expect(held.refusal).toBeInstanceOf(Overloaded);
    expect(overload.inFlight.length + held.admitted).toBeLessThan(500);
    // Answers under half the budget but over a quarter keep the limit on (no flapping around one
    // threshold); once the backlog is answered and answers are fast again, everything is admitted.
    traffic(admission, time, { everyMs: 2, latencyMs: 300, forMs: 1_000 });
    expect(admission.loadOf(M).limit).toBeLessThan(Infinity);
    for (const at of overload.inFlight) admission.done(M, at);
    traffic(admission, time, { everyMs: 10, latencyMs: 5, forMs: 300 });
    expect(admitUntilRefused(admission).admitted).toBe(10_000);
  });

  it('in front of a saturated queue, answers admitted calls in about the budget and refuses the excess', () => {
    const time = manualClock();
    const admission = new AdmissionControl({ budgetMs: 1_000, minInFlight: 4, windowMs: 250, now: time.now });
    // A server answering one call every 10 ms, first come first served; four times that arrives.
    const queue: number[] = [];
    const latencies: number[] = [];
    let refused = 0;
    let maxInFlight = 0;
    for (let t = 0; t < 30_000; t++, time.advance(1)) {
      if (t % 10 === 0 && queue.length > 0) {
        const at = queue.shift()!;
        admission.done(M, at);
        if (t >= 10_000) latencies.push(t - at);
      }
      if (t % 10 < 4) {
        try {
          queue.push(admission.admit(M));
        } catch {
          refused++;
        }
      }
      if (t >= 10_000) maxInFlight = Math.max(maxInFlight, queue.length);
    }
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    // Unchecked, 9,000 calls would be waiting by the end and the last answered after 90 s.
    expect(latencies.length).toBeGreaterThan(1_900); // the server stayed busy: capacity is used
    expect(refused).toBeGreaterThan(8_000);
    expect(mean).toBeGreaterThan(500);
    expect(mean).toBeLessThan(1_500);
    expect(maxInFlight).toBeLessThan(200);
  });

  it('never holds fewer than the minimum in flight, and forgets an overload after an idle window', () => {
    const time = manualClock();
    const admission = new AdmissionControl({ budgetMs: 100, minInFlight: 3, windowMs: 100, now: time.now });
    // Answers after a second against a budget of 100 ms: by the estimate one call may be in flight.
    const { inFlight, refused } = traffic(admission, time, { everyMs: 100, latencyMs: 1_000, forMs: 3_000 });
    expect(refused).toBeGreaterThan(0);
    expect(inFlight).toHaveLength(3);
    for (const at of inFlight) {
      time.advance(100);
      admission.done(M, at); // each closes a window
    }
    time.advance(200);
    admission.admit(M); // closes an idle window: nothing in flight, nothing answered
    expect(admission.loadOf(M)).toMatchObject({ latencyMs: 0, limit: Infinity });
    expect(admitUntilRefused(admission).admitted).toBe(10_000);
  });

  it('judges a burst after a quiet spell afresh, not by the last slow answer before it', () => {
    const time = manualClock();
    // One slow answer (more than half the budget) inside a window, then a minute without a call.
    const quiet = new AdmissionControl({ budgetMs: 80, minInFlight: 4, windowMs: 100, now: time.now });
    const at = quiet.admit(M);
    time.advance(50);
    quiet.done(M, at);
    time.advance(60_000);
    expect(admitUntilRefused(quiet).admitted).toBe(10_000);
  });
});

describe('AdmissionControl with a list of sheddable methods', () => {
  it('needs a positive budget', () => {
    expect(() => new AdmissionControl({ budgetMs: 0 })).toThrow(RangeError);
  });

  it('governs only the methods listed', () => {
    const admission = new AdmissionControl({ budgetMs: 100, sheddable: new Set([M]) });
    expect([admission.governs(M), admission.governs('/svc/Accept')]).toEqual([true, false]);
    expect(new AdmissionControl({ budgetMs: 100 }).governs('/svc/Accept')).toBe(true);
  });
});

describe('AdmissionControl pacing by lag', () => {
  it('paces the methods listed by the lag observed, at once refused as overloaded; the others not', () => {
    const time = manualClock();
    const paced = '/svc/Create';
    const admission = new AdmissionControl({ budgetMs: 1_000, sheddable: new Set([M, paced]), pacedByLag: new Set([paced]), windowMs: 250, now: time.now });
    // 200 calls a second to each, each answered at once, and their events 2 s late.
    for (let t = 0; t < 250; t += 5, time.advance(5)) {
      for (const method of [M, paced]) admission.done(method, admission.admit(method));
      admission.observeLag(2_000);
    }
    admission.observeLag(2_000); // the window is judged when the next event (or call) comes
    expect(admission.lagPacePerSecond).toBeCloseTo(100, 0);
    let refusal: unknown;
    let admitted = 0;
    for (let t = 0; t < 250 && !refusal; t += 5, time.advance(5)) {
      try {
        admission.done(paced, admission.admit(paced));
        admitted++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(Overloaded);
    expect((refusal as Overloaded).message).toBe('/svc/Create starts work that is reaching people late; retry in a second');
    expect(admitted).toBeLessThan(10);
    expect(admission.loadOf(paced).inFlight).toBe(0); // refusals hold no place
    expect(admitUntilRefused(admission).admitted).toBe(10_000);
  });

  it('paces only sheddable methods, and refuses nothing for lag when no method is listed', () => {
    expect(() => new AdmissionControl({ budgetMs: 1_000, sheddable: new Set([M]), pacedByLag: new Set(['/svc/Accept']) })).toThrow(RangeError);
    const time = manualClock();
    const unpaced = new AdmissionControl({ budgetMs: 1_000, now: time.now });
    for (let t = 0; t < 500; t += 5, time.advance(5)) {
      unpaced.done(M, unpaced.admit(M));
      unpaced.observeLag(5_000);
    }
    expect(unpaced.lagPacePerSecond).toBeUndefined();
    expect(admitUntilRefused(unpaced).admitted).toBe(10_000);
  });
});

describe('a gRPC client with admission control', () => {
  let service: RunningService;
  let reached = 0;
  const metrics = createMetrics('test', { defaults: false });
  const time = manualClock();
  const admission = new AdmissionControl({ budgetMs: 100, minInFlight: 2, windowMs: 50, now: time.now });
  let client: GrpcClient<typeof TestServiceDefinition>;

  beforeAll(async () => {
    service = await startTestService('test', {
      async echo(request: Record<string, unknown>) {
        reached++;
        return request;
      },
      async fail() {
        throw new AppError('TRIP_NOT_FOUND', 'no');
      },
      async slow(_request: Record<string, unknown>, context: CallContext) {
        reached++;
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
        return {};
      },
      async *watch() {
        yield { n: 1 };
      },
    });
    client = createGrpcClient(TestServiceDefinition, openChannel(service.grpcAddress), { deadlineMs: 5_000, metrics, admission });
  });

  afterAll(() => service.stop());

  it('refuses a call to a saturated method without sending it, and sends the others', async () => {
    // Two calls answered 100 ms (by the test clock) after they were sent: the method answers 0.02
    // calls/ms, so with a budget of 100 ms two calls in flight are all it may hold.
    const first = new AbortController();
    const slow = [client.slow({}, { signal: first.signal }), client.slow({}, { signal: first.signal })];
    await until(() => reached === 2);
    time.advance(100);
    first.abort();
    await Promise.allSettled(slow);
    expect(admission.loadOf('/uitgo.test.v1.TestService/Slow')).toMatchObject({ inFlight: 0, latencyMs: 100 });

    const hold = new AbortController();
    const held = [client.slow({}, { signal: hold.signal }), client.slow({}, { signal: hold.signal })];
    for (const call of held) call.catch(() => undefined);
    await until(() => reached === 4);
    await expect(client.slow({})).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { retryAfterS: 1 } });
    expect(reached).toBe(4);
    const shed = (await metrics.grpcClientShed.get()).values;
    expect(shed).toEqual([{ labels: { method: '/uitgo.test.v1.TestService/Slow' }, value: 1 }]);

    // Other methods, server streams (never governed), and the calls that were admitted, go on.
    await expect(client.echo({ a: 1 })).resolves.toEqual({ a: 1 });
    for await (const message of client.watch({})) expect(message).toEqual({ n: 1 });
    expect(admission.loadOf('/uitgo.test.v1.TestService/Watch')).toMatchObject({ inFlight: 0, latencyMs: 0 });
    hold.abort();
    await Promise.allSettled(held);
    // Its calls answered, the method admits again.
    const again = new AbortController();
    const next = client.slow({}, { signal: again.signal });
    await until(() => reached === 6);
    again.abort();
    await expect(next).rejects.toThrow();
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
