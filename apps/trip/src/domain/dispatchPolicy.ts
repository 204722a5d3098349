import type { TripRecord } from './trip.js';

/**
 * How dispatch looks for a driver; every value is configurable (see config.ts). The limits hold
 * per round: a round starts with the request, and again when the assigned driver gives the trip back.
 */
export interface DispatchPolicy {
  /** Search radius per attempt of a round; attempts past the list use the last one. */
  radiiM: readonly number[];
  maxAttempts: number;
  /** Give up when no driver accepted this long after the round began. */
  maxDispatchMs: number;
  offerTtlMs: number;
  /** Wait before searching again when nobody could be offered the trip. */
  retryAfterEmptyMs: number;
  /** Candidates asked for per search. */
  candidates: number;
}

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  radiiM: [2_000, 4_000, 8_000],
  maxAttempts: 5,
  maxDispatchMs: 120_000,
  offerTtlMs: 15_000,
  retryAfterEmptyMs: 3_000,
  candidates: 10,
};

/** `attempt` numbers the trip's attempts over every round (its offers carry it); the radius follows the attempt within the round. */
export type DispatchDecision = { kind: 'give_up' } | { kind: 'search'; attempt: number; radiusM: number };

/** Where a trip's search stands. */
export type DispatchProgress = Pick<TripRecord, 'dispatchAttempts' | 'dispatchStartedAt' | 'dispatchAttemptsBeforeRound'>;

/** What to do next for a trip still looking for a driver, by the attempts and the time of its current round. */
export function nextDispatchStep(policy: DispatchPolicy, trip: DispatchProgress, now: Date): DispatchDecision {
  const attemptsThisRound = trip.dispatchAttempts - trip.dispatchAttemptsBeforeRound;
  if (attemptsThisRound >= policy.maxAttempts) return { kind: 'give_up' };
  if (now.getTime() - trip.dispatchStartedAt.getTime() >= policy.maxDispatchMs) return { kind: 'give_up' };
  const radiusM = policy.radiiM[Math.min(attemptsThisRound, policy.radiiM.length - 1)]!;
  return { kind: 'search', attempt: trip.dispatchAttempts + 1, radiusM };
}

/** The first candidate not asked before; the driver service re-checks availability when reserving. */
export function candidatesToTry(found: readonly string[], alreadyAsked: ReadonlySet<string>): string[] {
  return found.filter((driverId) => !alreadyAsked.has(driverId));
}

export const NO_DRIVER_AVAILABLE = 'NO_DRIVER_AVAILABLE';
