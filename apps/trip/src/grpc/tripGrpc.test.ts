import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedTripService, type TripServiceHarness } from '../test/harness.js';
import { concurrencyScenarios } from '../test/concurrencyScenarios.js';
import { dispatchScenarios } from '../test/dispatchScenarios.js';
import { quoteScenarios } from '../test/quoteScenarios.js';
import { readModelScenarios } from '../test/readModelScenarios.js';
import { tripScenarios } from '../test/tripScenarios.js';

describe('TripService over gRPC (embedded: PGlite, in-process bus, memory read model, local files)', () => {
  let harness: TripServiceHarness;
  beforeAll(async () => {
    harness = await startEmbeddedTripService();
  });
  afterAll(() => harness?.stop());

  tripScenarios(() => harness);
  quoteScenarios(() => harness);
  dispatchScenarios(() => harness);
  concurrencyScenarios(() => harness);
  readModelScenarios(() => harness);
});
