import { describe, expect, it } from 'vitest';
import { candidatesToTry, DEFAULT_DISPATCH_POLICY, nextDispatchStep } from './dispatchPolicy.js';

const at = new Date('2025-11-26T04:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
/** A trip's dispatch so far: `attempts` in all, the current round started `startedAt` after `attemptsBefore` of them. */
const progress = (attempts: number, startedAt = at, attemptsBefore = 0) => ({ dispatchAttempts: attempts, dispatchStartedAt: startedAt, dispatchAttemptsBeforeRound: attemptsBefore });

describe('dispatch policy', () => {
  it('widens the radius per attempt and keeps the last one', () => {
    const radii = [0, 1, 2, 3, 4].map((n) => nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(n), at));
    expect(radii).toEqual([
      { kind: 'search', attempt: 1, radiusM: 2_000 },
      { kind: 'search', attempt: 2, radiusM: 4_000 },
      { kind: 'search', attempt: 3, radiusM: 8_000 },
      { kind: 'search', attempt: 4, radiusM: 8_000 },
      { kind: 'search', attempt: 5, radiusM: 8_000 },
    ]);
  });

  it('gives up after the last attempt or when time is up', () => {
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(5), at)).toEqual({ kind: 'give_up' });
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(1), later(119_999)).kind).toBe('search');
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(1), later(120_000))).toEqual({ kind: 'give_up' });
    expect(nextDispatchStep({ ...DEFAULT_DISPATCH_POLICY, maxAttempts: 2 }, progress(2), at)).toEqual({ kind: 'give_up' });
  });

  it('counts attempts and time within the current round: a trip handed back searches again from the first radius', () => {
    // 3 attempts in the first round; a driver accepted, then gave the trip back 3 minutes after the request.
    const round = progress(3, later(180_000), 3);
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, round, later(180_000))).toEqual({ kind: 'search', attempt: 4, radiusM: 2_000 });
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(5, later(180_000), 3), later(200_000))).toEqual({ kind: 'search', attempt: 6, radiusM: 8_000 });
    // The round has the same limits as the first one.
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(8, later(180_000), 3), later(200_000))).toEqual({ kind: 'give_up' });
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(4, later(180_000), 3), later(299_999)).kind).toBe('search');
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, progress(4, later(180_000), 3), later(300_000))).toEqual({ kind: 'give_up' });
  });

  it('skips drivers already asked, keeping the search order', () => {
    expect(candidatesToTry(['a', 'b', 'c', 'd'], new Set(['b', 'd']))).toEqual(['a', 'c']);
    expect(candidatesToTry([], new Set())).toEqual([]);
  });
});
