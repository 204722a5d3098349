import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll } from 'vitest';
import { concurrencyScenarios } from '../test/concurrencyScenarios.js';
import { dispatchScenarios } from '../test/dispatchScenarios.js';
import { startRealTripService, type TripServiceHarness } from '../test/harness.js';
import { quoteScenarios } from '../test/quoteScenarios.js';
import { readModelScenarios } from '../test/readModelScenarios.js';
import { tripScenarios } from '../test/tripScenarios.js';

await describeReal('TripService over gRPC (real: Postgres, Redis, Kafka, S3, DynamoDB)', ['postgres', 'redis', 'kafka', 's3', 'dynamodb'], () => {
  let harness: TripServiceHarness;
  beforeAll(async () => {
    harness = await startRealTripService();
  });
  afterAll(() => harness?.stop());

  tripScenarios(() => harness);
  quoteScenarios(() => harness);
  dispatchScenarios(() => harness);
  concurrencyScenarios(() => harness);
  readModelScenarios(() => harness, { replicas: true });
});
