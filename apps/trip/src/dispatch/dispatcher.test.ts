import { createLogger } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import { Dispatcher } from './dispatcher.js';

type Deps = ConstructorParameters<typeof Dispatcher>[0];

/** A database that always has a full batch of trips due (a backlog of trips nobody can take yet). */
function endlessBacklog() {
  let claims = 0;
  const trips = {
    claimDue: async () => {
      claims++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Array.from({ length: 20 }, (_, i) => `trip-${claims}-${i}`);
    },
    // The claimed trips are gone by the time the step reads them: each step ends at once.
    find: async () => null,
  };
  const deps = {
    trips,
    settings: { dispatch: { leaseMs: 30_000, pollMs: 10 } },
    clock: () => Date.now(),
    logger: createLogger({ service: 'test', level: 'silent' }),
  } as unknown as Deps;
  return { deps, claims: () => claims };
}

describe('Dispatcher', () => {
  it('stops after the batch in hand while a backlog keeps every claim full', async () => {
    const { deps, claims } = endlessBacklog();
    const dispatcher = new Dispatcher(deps);
    dispatcher.start();
    await expect.poll(claims).toBeGreaterThan(3);
    await dispatcher.stop();
    const atStop = claims();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(claims()).toBe(atStop);
  });
});
