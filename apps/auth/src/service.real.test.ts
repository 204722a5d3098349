import { describeReal } from '@uitgo/kit/testing';
import { authServiceSuite } from './test/authServiceSuite.js';
import { startRealAuth } from './test/startAuth.js';

// Real mode also opens the Kafka event bus for the outbox relay.
await describeReal('auth service over gRPC (real: Postgres from a migrated template, Redis, Kafka)', ['postgres', 'redis', 'kafka'], () => {
  authServiceSuite(startRealAuth);
});
