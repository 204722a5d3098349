import { afterAll, beforeAll, describe } from 'vitest';
import { documentScenarios } from '../test/documentScenarios.js';
import { startEmbeddedUserService, type UserServiceHarness } from '../test/harness.js';
import { profileScenarios } from '../test/profileScenarios.js';
import { verificationScenarios } from '../test/verificationScenarios.js';

describe('UserService over gRPC (embedded: PGlite, in-process bus, local object store)', () => {
  let harness: UserServiceHarness;
  beforeAll(async () => {
    harness = await startEmbeddedUserService();
  });
  afterAll(() => harness?.stop());

  describe('profiles', () => profileScenarios(() => harness));
  describe('documents and verification', () => documentScenarios(() => harness));
  describe('verification audit trail and reason', () => verificationScenarios(() => harness));
});
