import { describe, expect, it } from 'vitest';
import { LagPacer } from './lagPacer.js';
import { manualClock, type ManualClock } from '../testing/manualClock.js';


/** Offers a call every `everyMs` for `forMs`, reporting `lagMs()` for each call let through; counts the outcomes. */
function drive(pacer: LagPacer, time: ManualClock, { everyMs, forMs, lagMs }: { everyMs: number; forMs: number; lagMs?: () => number }) {
  let admitted = 0;
  let refused = 0;
  for (let t = 0; t < forMs; t += everyMs, time.advance(everyMs)) {
    if (pacer.admit()) {
      admitted++;
      if (lagMs) pacer.observe(lagMs());
    } else refused++;
  }
  return { admitted, refused };
}

/** The pace as the next call finds it: a window is judged when the first call or event after it comes. */
function paceSeenByNextCall(pacer: LagPacer): number | undefined {
  pacer.admit();
  return pacer.pacePerSecond;
}

/**
 * A pipeline carrying one event per `serviceEveryMs`, first in first out, each event `baseLagMs`
 * late at the least; each call let through starts one event. Calls arrive every `arrivalEveryMs(t)`.
 * Returns the lag of the events delivered from `measureFromMs` on, and how many calls were refused then.
 */
function pipeline(pacer: LagPacer | undefined, time: ManualClock, o: { serviceEveryMs: number; baseLagMs?: number; arrivalEveryMs: (t: number) => number; forMs: number; measureFromMs: number }) {
  const queue: number[] = [];
  const lags: number[] = [];
  let refused = 0;
  let nextArrival = 0;
  for (let t = 0; t < o.forMs; t++, time.advance(1)) {
    if (t % o.serviceEveryMs === 0 && queue.length > 0) {
      const lag = t - queue.shift()! + (o.baseLagMs ?? 0);
      pacer?.observe(lag);
      if (t >= o.measureFromMs) lags.push(lag);
    }
    if (t >= nextArrival) {
      nextArrival = t + o.arrivalEveryMs(t);
      if (!pacer || pacer.admit()) queue.push(t);
      else if (t >= o.measureFromMs) refused++;
    }
  }
  return { meanLagMs: lags.reduce((a, b) => a + b, 0) / lags.length, maxLagMs: Math.max(...lags), delivered: lags.length, refused };
}

describe('LagPacer', () => {
  it('never refuses while events arrive on time, bursts included', () => {
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, now: time.now });
    expect(drive(pacer, time, { everyMs: 1, forMs: 5_000, lagMs: () => 499 })).toEqual({ admitted: 5_000, refused: 0 });
    for (let i = 0; i < 1_000; i++) expect(pacer.admit()).toBe(true);
    expect(pacer.pacePerSecond).toBeUndefined();
  });

  it('starts pacing at half the rate let through once events are late, cuts while the lag grows, holds while it falls', () => {
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, minPerSecond: 2, now: time.now });
    let lag = 600;
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag }); // 200 calls/s, late
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(100, 0);
    // Half the pace is still more than the pipeline carries: the lag grows, the pace is cut.
    lag = 700;
    const cut = drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag });
    expect(cut.admitted).toBeGreaterThanOrEqual(24);
    expect(cut.admitted).toBeLessThanOrEqual(26);
    expect(cut.refused).toBeGreaterThan(20);
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(85, 0);
    // Falling, still over the target: the last cut is draining the backlog, the pace holds.
    lag = 650;
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag });
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(85, 0);
    // Rising for long: cut down to the floor, never below.
    for (let i = 0; i < 40; i++) drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => (lag += 10) });
    expect(paceSeenByNextCall(pacer)).toBe(2);
  });

  it('speeds up by a tenth a window under the target, and stops pacing after a window that refused nothing', () => {
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 2_000 });
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(100, 0);
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 450 }); // under the target, refusing
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(110, 0);
    // Calls slow to 40 a second, under the pace: once a window refuses nothing, pacing ends.
    drive(pacer, time, { everyMs: 25, forMs: 500, lagMs: () => 100 });
    expect(paceSeenByNextCall(pacer)).toBeUndefined();
  });

  it('holds the pace through calls without events and short pauses, and forgets it after a quiet second', () => {
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 2_000 });
    drive(pacer, time, { everyMs: 5, forMs: 250 });
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(100, 0);
    time.advance(300);
    expect(paceSeenByNextCall(pacer)).toBeCloseTo(100, 0);
    time.advance(1_000);
    expect(pacer.admit()).toBe(true);
    expect(pacer.pacePerSecond).toBeUndefined();
  });

  it('starts no pacing from late events alone, and ignores lags that are not numbers', () => {
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    // This replica got no calls while the events were late (another one did): nothing to halve.
    for (let t = 0; t < 300; t += 5, time.advance(5)) pacer.observe(3_000);
    expect(paceSeenByNextCall(pacer)).toBeUndefined();
    const other = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    drive(other, time, { everyMs: 5, forMs: 250, lagMs: () => 2_000 });
    expect(paceSeenByNextCall(other)).toBeCloseTo(100, 0);
    // While pacing, a lag that is not a number neither reads as caught up nor as late: the pace holds.
    for (const lag of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      drive(other, time, { everyMs: 5, forMs: 250, lagMs: () => lag });
      expect(paceSeenByNextCall(other)).toBeCloseTo(100, 0);
    }
  });

  it('in front of a pipeline four times over capacity, keeps events about on time and the pipeline busy', () => {
    // One event per 10 ms carried, a call every 2.5 ms.
    const run = (pacer: (time: ManualClock) => LagPacer | undefined) => {
      const time = manualClock();
      return pipeline(pacer(time), time, { serviceEveryMs: 10, arrivalEveryMs: (t) => (t % 5 < 2 ? 2 : 3), forMs: 60_000, measureFromMs: 20_000 });
    };
    const unpaced = run(() => undefined);
    const paced = run((time) => new LagPacer({ targetMs: 500, now: time.now }));
    // Unpaced, the last 40 s deliver events 20 to 45 s late.
    expect(unpaced.meanLagMs).toBeGreaterThan(20_000);
    expect(paced.meanLagMs).toBeLessThan(1_000);
    expect(paced.maxLagMs).toBeLessThan(2_500);
    // And the pipeline carries at least four fifths of what it can (4,000 in 40 s).
    expect(paced.delivered).toBeGreaterThan(3_200);
  });

  it('lets everything through again once demand falls under capacity, even with a standing lag near the target', () => {
    // Every event at least 400 ms late (a relay polling, a far consumer); 20 s at four times the
    // capacity, then 70 % of it.
    const time = manualClock();
    const pacer = new LagPacer({ targetMs: 500, now: time.now });
    const after = pipeline(pacer, time, { serviceEveryMs: 10, baseLagMs: 400, arrivalEveryMs: (t) => (t < 20_000 ? (t % 5 < 2 ? 2 : 3) : 14), forMs: 40_000, measureFromMs: 30_000 });
    expect(after.refused).toBe(0);
    expect(pacer.pacePerSecond).toBeUndefined();
  });
});
