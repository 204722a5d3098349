import { afterAll, beforeAll, describe } from 'vitest';
import { driverScenarios } from '../test/driverScenarios.js';
import { startEmbeddedDriverService, type DriverServiceHarness } from '../test/harness.js';

describe('DriverService over gRPC (embedded: PGlite, in-process bus, memory geo index and archive)', () => {
  let harness: DriverServiceHarness;
  beforeAll(async () => {
    harness = await startEmbeddedDriverService();
  });
  afterAll(() => harness?.stop());

  driverScenarios(() => harness);
});
