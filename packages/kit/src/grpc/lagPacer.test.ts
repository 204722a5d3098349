import { describe, expect, it } from 'vitest';
import { LagPacer } from './lagPacer.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Offers a call every `everyMs` for `forMs`, reporting `lagMs(t)` for each call let through; counts the outcomes. */
function drive(pacer: LagPacer, time: ReturnType<typeof clock>, { everyMs, forMs, lagMs }: { everyMs: number; forMs: number; lagMs?: () => number }) {
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

describe('LagPacer', () => {
  it('never refuses while events arrive on time, bursts included', () => {
    const time = clock();
    const pacer = new LagPacer({ targetMs: 500, now: time.now });
    expect(drive(pacer, time, { everyMs: 1, forMs: 5_000, lagMs: () => 499 })).toEqual({ admitted: 5_000, refused: 0 });
    expect(pacer.pacePerSecond).toBeUndefined();
  });

  it('starts pacing at half the rate let through once events are late, cuts while the lag grows, holds while it falls', () => {
    const time = clock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, minPerSecond: 2, now: time.now });
    let lag = 600;
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag }); // 200 calls/s, late
    expect(pacer.pacePerSecond).toBeCloseTo(100, 0);
    // Half the pace is still more than the pipeline carries: the lag grows, the pace is cut.
    lag = 700;
    const cut = drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag });
    expect(cut.admitted).toBeGreaterThanOrEqual(24);
    expect(cut.admitted).toBeLessThanOrEqual(26);
    expect(cut.refused).toBeGreaterThan(20);
    expect(pacer.pacePerSecond).toBeCloseTo(85, 0);
    // Falling, still over the target: the last cut is draining the backlog, the pace holds.
    lag = 650;
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => lag });
    expect(pacer.pacePerSecond).toBeCloseTo(85, 0);
    // Rising for long: cut down to the floor, never below.
    for (let i = 0; i < 40; i++) drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => (lag += 10) });
    expect(pacer.pacePerSecond).toBe(2);
  });

  it('speeds up by a tenth a window once caught up, and stops pacing after a window that refused nothing', () => {
    const time = clock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 2_000 });
    expect(pacer.pacePerSecond).toBeCloseTo(100, 0);
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 100 });
    expect(pacer.pacePerSecond).toBeCloseTo(110, 0);
    // Calls slow to 40 a second, under the pace: nothing refused, pacing ends.
    drive(pacer, time, { everyMs: 25, forMs: 250, lagMs: () => 100 });
    expect(pacer.pacePerSecond).toBeUndefined();
  });

  it('holds the pace through a window with calls but no events, and ends it when all is idle', () => {
    const time = clock();
    const pacer = new LagPacer({ targetMs: 500, windowMs: 250, now: time.now });
    drive(pacer, time, { everyMs: 5, forMs: 250, lagMs: () => 2_000 });
    drive(pacer, time, { everyMs: 5, forMs: 250 });
    expect(pacer.pacePerSecond).toBeCloseTo(100, 0);
    time.advance(300);
    expect(pacer.pacePerSecond).toBeUndefined();
  });

  it('in front of a pipeline four times over capacity, keeps events about on time and the pipeline busy', () => {
    // A pipeline carrying one event per 10 ms, first in first out; each call let through starts
    // one event; a call arrives every 2.5 ms.
    const run = (paced: boolean) => {
      const time = clock();
      const pacer = new LagPacer({ targetMs: 500, now: time.now });
      const queue: number[] = [];
      const lags: number[] = [];
      let delivered = 0;
      for (let t = 0; t < 60_000; t++, time.advance(1)) {
        if (t % 10 === 0 && queue.length > 0) {
          const lag = t - queue.shift()!;
          pacer.observe(lag);
          if (t >= 20_000) {
            lags.push(lag);
            delivered++;
          }
        }
        if (t % 5 < 2 && (!paced || pacer.admit())) queue.push(t);
      }
      return { meanLagMs: lags.reduce((a, b) => a + b, 0) / lags.length, maxLagMs: Math.max(...lags), delivered };
    };
    const unpaced = run(false);
    const paced = run(true);
    // Unpaced, the last 40 s deliver events 20 to 45 s late.
    expect(unpaced.meanLagMs).toBeGreaterThan(20_000);
    expect(paced.meanLagMs).toBeLessThan(1_000);
    expect(paced.maxLagMs).toBeLessThan(2_500);
    // And the pipeline carries at least four fifths of what it can (4,000 in 40 s; 3,547 here).
    expect(paced.delivered).toBeGreaterThan(3_200);
  });
});
