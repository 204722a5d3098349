import { randomUUID } from 'node:crypto';
import { describeReal, loadInfraEnv } from '@uitgo/kit/testing';
import { RedisTripReadModel } from './redisTripReadModel.js';
import { tripReadModelContract } from './tripReadModel.contract.js';

await describeReal('TripReadModel on Redis', ['redis'], () => {
  loadInfraEnv();
  tripReadModelContract('Redis', () => RedisTripReadModel.connect({ kind: 'redis', url: process.env.REDIS_URL! }, `uitgo-test:trip-rm:${randomUUID()}:`));
});

await describeReal('TripReadModel on Redis Cluster', ['redis-cluster'], () => {
  loadInfraEnv();
  tripReadModelContract('Redis Cluster', () =>
    RedisTripReadModel.connect({ kind: 'redis-cluster', nodes: process.env.REDIS_CLUSTER_NODES!.split(',') }, `uitgo-test:trip-rm:${randomUUID()}:`),
  );
});
