import type { ServiceImplementation } from 'nice-grpc';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type ServiceMetrics } from '../metrics.js';
import { startService, type RunningService } from '../service.js';
import type { ReadinessCheck } from '../ops/opsServer.js';
/**
 * A ts-proto-shaped service definition with a JSON codec, for testing the kit's gRPC plumbing
 * without depending on any service's protos.
 */
type Json = Record<string, unknown>;

const jsonCodec = {
  encode: (message: Json) => ({ finish: () => Buffer.from(JSON.stringify(message)) }),
  decode: (input: Uint8Array) => JSON.parse(Buffer.from(input).toString('utf8')) as Json,
  fromPartial: (message: Json) => message,
};

const unary = (name: string) => ({
  name,
  requestType: jsonCodec,
  requestStream: false,
  responseType: jsonCodec,
  responseStream: false,
  options: {},
} as const);

export const TestServiceDefinition = {
  name: 'TestService',
  fullName: 'uitgo.test.v1.TestService',
  methods: {
    echo: unary('Echo'),
    fail: unary('Fail'),
    slow: unary('Slow'),
    watch: { ...unary('Watch'), responseStream: true },
  },
} as const;

type TestServiceImplementation = ServiceImplementation<typeof TestServiceDefinition>;

/**
 * A kit gRPC service on a free loopback port serving `implementation` of TestServiceDefinition,
 * with the kit's middleware and a silent logger unless given one.
 */
export function startTestService(
  name: string,
  implementation: TestServiceImplementation,
  options: { logger?: Logger; metrics?: ServiceMetrics; checks?: Record<string, ReadinessCheck> } = {},
): Promise<RunningService> {
  return startService({
    name,
    host: '127.0.0.1',
    grpcPort: 0,
    opsPort: 0,
    logger: options.logger ?? createLogger({ service: name, level: 'silent' }),
    metrics: options.metrics ?? createMetrics(name, { defaults: false }),
    shutdownTimeoutMs: 2_000,
    checks: options.checks ?? {},
    register(server) {
      server.add(TestServiceDefinition, implementation);
    },
  });
}
