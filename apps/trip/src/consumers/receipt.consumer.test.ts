import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedTripService, type TripServiceHarness } from '../test/harness.js';
import { receiptRedeliveryScenarios } from '../test/receiptScenarios.js';

describe('receiptConsumer redeliveries (embedded: PGlite, local files)', () => {
  let harness: TripServiceHarness;
  beforeAll(async () => {
    harness = await startEmbeddedTripService();
  });
  afterAll(() => harness?.stop());

  receiptRedeliveryScenarios(() => harness);
});
