import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll } from 'vitest';
import { driverScenarios } from '../test/driverScenarios.js';
import { startRealDriverService, type DriverServiceHarness } from '../test/harness.js';

await describeReal('DriverService over gRPC (real: Postgres, Redis, Kafka, DynamoDB)', ['postgres', 'redis', 'kafka', 'dynamodb'], () => {
  let harness: DriverServiceHarness;
  beforeAll(async () => {
    harness = await startRealDriverService();
  });
  afterAll(() => harness?.stop());

  driverScenarios(() => harness);
});
