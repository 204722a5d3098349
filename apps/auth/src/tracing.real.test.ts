import { describeReal } from '@uitgo/kit/testing';
import { authTracingSuite } from './test/authTracingSuite.js';
import { startRealAuth } from './test/startAuth.js';

await describeReal('auth spans (real: Postgres, Redis, Kafka)', ['postgres', 'redis', 'kafka'], () => {
  authTracingSuite(startRealAuth, { redis: true });
});
