import { describe, expect, it } from 'vitest';
import { candidatesToTry, DEFAULT_DISPATCH_POLICY, nextDispatchStep } from './dispatchPolicy.js';

const at = new Date('2025-11-26T04:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

describe('dispatch policy', () => {
  it('widens the radius per attempt and keeps the last one', () => {
    const radii = [0, 1, 2, 3, 4].map((n) => nextDispatchStep(DEFAULT_DISPATCH_POLICY, n, at, at));
    expect(radii).toEqual([
      { kind: 'search', attempt: 1, radiusM: 2_000 },
      { kind: 'search', attempt: 2, radiusM: 4_000 },
      { kind: 'search', attempt: 3, radiusM: 8_000 },
      { kind: 'search', attempt: 4, radiusM: 8_000 },
      { kind: 'search', attempt: 5, radiusM: 8_000 },
    ]);
  });

  it('gives up after the last attempt or when time is up', () => {
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, 5, at, at)).toEqual({ kind: 'give_up' });
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, 1, at, later(119_999)).kind).toBe('search');
    expect(nextDispatchStep(DEFAULT_DISPATCH_POLICY, 1, at, later(120_000))).toEqual({ kind: 'give_up' });
    expect(nextDispatchStep({ ...DEFAULT_DISPATCH_POLICY, maxAttempts: 2 }, 2, at, at)).toEqual({ kind: 'give_up' });
  });

  it('skips drivers already asked, keeping the search order', () => {
    expect(candidatesToTry(['a', 'b', 'c', 'd'], new Set(['b', 'd']))).toEqual(['a', 'c']);
    expect(candidatesToTry([], new Set())).toEqual([]);
  });
});
