/** How dispatch looks for a driver; every value is configurable (see config.ts). */
export interface DispatchPolicy {
  /** Search radius per attempt; attempts past the list use the last one. */
  radiiM: readonly number[];
  maxAttempts: number;
  /** Give up when no driver accepted this long after the request. */
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

export type DispatchDecision = { kind: 'give_up' } | { kind: 'search'; attempt: number; radiusM: number };

/** What to do next for a trip still looking for a driver. */
export function nextDispatchStep(policy: DispatchPolicy, attemptsSoFar: number, requestedAt: Date, now: Date): DispatchDecision {
  if (attemptsSoFar >= policy.maxAttempts) return { kind: 'give_up' };
  if (now.getTime() - requestedAt.getTime() >= policy.maxDispatchMs) return { kind: 'give_up' };
  const attempt = attemptsSoFar + 1;
  const radiusM = policy.radiiM[Math.min(attempt - 1, policy.radiiM.length - 1)]!;
  return { kind: 'search', attempt, radiusM };
}

/** The first candidate not asked before; the driver service re-checks availability when reserving. */
export function candidatesToTry(found: readonly string[], alreadyAsked: ReadonlySet<string>): string[] {
  return found.filter((driverId) => !alreadyAsked.has(driverId));
}

export const NO_DRIVER_AVAILABLE = 'NO_DRIVER_AVAILABLE';
