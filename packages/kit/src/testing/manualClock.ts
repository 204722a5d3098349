/** A clock a test moves by hand: `now()` reads it, `advance(ms)` moves it on. */
export function manualClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

export type ManualClock = ReturnType<typeof manualClock>;
