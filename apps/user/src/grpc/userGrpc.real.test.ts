import { afterAll, beforeAll, describe } from 'vitest';
import { describeReal } from '@uitgo/kit/testing';
import { documentScenarios } from '../test/documentScenarios.js';
import { startRealUserService, type UserServiceHarness } from '../test/harness.js';
import { profileScenarios } from '../test/profileScenarios.js';
import { verificationScenarios } from '../test/verificationScenarios.js';

await describeReal('UserService over gRPC (real: Postgres, S3, Kafka)', ['postgres', 's3', 'kafka'], () => {
  let harness: UserServiceHarness;
  beforeAll(async () => {
    harness = await startRealUserService();
  });
  afterAll(() => harness?.stop());

  describe('profiles', () => profileScenarios(() => harness));
  describe('documents and verification', () => documentScenarios(() => harness));
  describe('verification audit trail and reason', () => verificationScenarios(() => harness));
});
