import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll } from 'vitest';
import { startRealTripService, type TripServiceHarness } from '../test/harness.js';
import { receiptRedeliveryScenarios } from '../test/receiptScenarios.js';

await describeReal('receiptConsumer redeliveries (real: Postgres, S3)', ['postgres', 'redis', 'kafka', 's3', 'dynamodb'], () => {
  let harness: TripServiceHarness;
  beforeAll(async () => {
    harness = await startRealTripService();
  });
  afterAll(() => harness?.stop());

  receiptRedeliveryScenarios(() => harness);
});
