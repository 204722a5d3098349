import { randomUUID } from 'node:crypto';
import { describeReal, loadInfraEnv } from '@uitgo/kit/testing';
import { RedisTripReadModel } from '../adapters/redisTripReadModel.js';
import { projectorRedeliveryScenarios } from '../test/projectorScenarios.js';

await describeReal('readModelProjector on Redis', ['redis'], () => {
  loadInfraEnv();
  projectorRedeliveryScenarios('Redis', () => RedisTripReadModel.connect({ kind: 'redis', url: process.env.REDIS_URL! }, `uitgo-test:trip-projector:${randomUUID()}:`));
});
