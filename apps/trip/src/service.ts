import { fileURLToPath } from 'node:url';
import { TOPICS } from '@uitgo/contracts';
import { driver, trip, user } from '@uitgo/grpc';
import { startServiceApp, type EmbeddedShared, type ServiceConfig } from '@uitgo/kit/runtime';
import { redisTargetOf } from '@uitgo/kit/kv';
import { DrizzleTripRepository } from './adapters/drizzleTripRepository.js';
import { GrpcDriverDirectory } from './adapters/grpcDriverDirectory.js';
import { GrpcUserDirectory } from './adapters/grpcUserDirectory.js';
import { MemoryTripReadModel } from './adapters/memoryTripReadModel.js';
import { StraightLineRouter } from './adapters/straightLineRouter.js';
import { loadTripSettings, type TripSettings } from './config.js';
import { readModelProjector } from './consumers/readModelProjector.consumer.js';
import { receiptConsumer } from './consumers/receipt.consumer.js';
import * as schema from './db/schema.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { DriverTaskWorker } from './dispatch/driverTaskWorker.js';
import { tripGrpc } from './grpc/tripGrpc.js';
import { TripLiveHub } from './live/tripLiveHub.js';
import { createTripMetrics } from './metrics.js';
import type { TripReadModel } from './ports/tripReadModel.js';
import { ReadModelFill } from './readModel/readModelFill.js';
import { makeTripUseCases, type TripDeps } from './useCases/index.js';
import { SurgeZones } from './useCases/surgeZones.js';

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Real mode: the Redis the kit's key-value store uses (cluster when REDIS_CLUSTER_NODES is set, TLS per REDIS_TLS). */
export async function openTripReadModel(config: ServiceConfig, settings: TripSettings, onError: (error: Error) => void): Promise<TripReadModel> {
  if (config.mode === 'embedded') return new MemoryTripReadModel();
  const { RedisTripReadModel } = await import('./adapters/redisTripReadModel.js');
  return RedisTripReadModel.connect(redisTargetOf(config.infra), settings.readModel.keyPrefix, onError);
}

/** The background parts, for tests that drive them directly instead of waiting for their polls. */
export interface TripServiceParts {
  dispatcher: Dispatcher;
  taskWorker: DriverTaskWorker;
  readModel: TripReadModel;
  deps: TripDeps;
}

export interface TripServiceOptions {
  settings?: TripSettings;
  clock?: () => number;
  onWired?: (parts: TripServiceParts) => void;
}

/** Composition root of the trip service, used by main.ts and by the embedded platform. */
export function startTripService(config: ServiceConfig, shared?: EmbeddedShared, options: TripServiceOptions = {}) {
  const settings = options.settings ?? loadTripSettings();
  const clock = options.clock ?? Date.now;
  let dispatcher: Dispatcher | undefined;
  let taskWorker: DriverTaskWorker | undefined;
  return startServiceApp({
    config,
    schema,
    outboxTable: schema.outbox,
    migrationsFolder,
    ...(shared ? { shared } : {}),
    async wire(runtime, server) {
      const { logger, bus } = runtime;
      const trips = new DrizzleTripRepository(runtime.database.db, (change) => {
        if (change.events > 0) runtime.outbox.notify();
      });
      const metrics = createTripMetrics(runtime.metrics.registry);
      const readModel = await openTripReadModel(config, settings, (err) => logger.warn({ err }, 'redis connection problem (trip read model)'));
      // A read model never filled (first start, embedded restart) or that lost its data is filled from trips-db by one replica.
      const readModelFill = new ReadModelFill({ trips, readModel, metrics, logger });
      if (config.migrateOnStart) {
        const kafka = bus as typeof bus & { ensureTopics?: (topics: string[], partitions: number) => Promise<void> };
        await kafka.ensureTopics?.([TOPICS.trip], 6);
      }
      const drivers = new GrpcDriverDirectory(runtime.client(driver.DriverServiceDefinition, 'driver'));
      const deps: TripDeps = {
        trips,
        drivers,
        users: new GrpcUserDirectory(runtime.client(user.UserServiceDefinition, 'user')),
        router: new StraightLineRouter(settings.roadFactor),
        surge: new SurgeZones({ drivers, trips, settings, clock, logger }, settings.surge.refreshMs),
        readModel,
        readModelFill,
        objects: await runtime.objectStore(),
        settings,
        metrics,
        clock,
        logger,
        kick: { dispatch: (tripId, claimed) => dispatcher?.kick(tripId, claimed), tasks: () => taskWorker?.kick() },
      };
      dispatcher = new Dispatcher(deps);
      taskWorker = new DriverTaskWorker(deps, settings.dispatch.pollMs * 4);
      const hub = new TripLiveHub();
      await hub.start(bus);
      server.add(trip.TripServiceDefinition, tripGrpc(makeTripUseCases(deps, hub)));
      const projector = await bus.subscribe(readModelProjector({ readModel, metrics, groupId: settings.readModel.group, fromBeginning: settings.fromBeginning, clock }));
      const receipts = await bus.subscribe(receiptConsumer(deps));
      dispatcher.start();
      taskWorker.start();
      readModelFill.start('start-up');
      options.onWired?.({ dispatcher, taskWorker, readModel, deps });
      return {
        checks: { 'read model': () => readModel.ping() },
        // Closed in reverse: workers first, then consumers, then the read model.
        resources: [
          { name: 'read model', close: () => readModel.close() },
          { name: 'live hub', close: () => hub.stop() },
          { name: 'read-model projector', close: () => projector.stop() },
          { name: 'receipt renderer', close: () => receipts.stop() },
          { name: 'driver tasks', close: () => taskWorker!.stop() },
          { name: 'dispatcher', close: () => dispatcher!.stop() },
          { name: 'read-model fill', close: () => readModelFill.stop() },
        ],
      };
    },
  });
}

export type TripService = Awaited<ReturnType<typeof startTripService>>;
