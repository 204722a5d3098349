import { z } from 'zod';

const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://otel-collector:4318' });

/**
 * The OpenTelemetry SDK's standard variables, the subset the kit reads. Tracing is off unless an
 * OTLP endpoint is set (or the console exporter is chosen), so a service without them pays nothing.
 */
export const tracingConfigSchema = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).default('otlp'),
  /** Base URL of an OTLP/HTTP receiver (collector, Tempo, Jaeger): spans go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(httpUrl),
  /** Full URL for traces, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetIfEmpty(httpUrl),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  /** The ratio of the `*traceidratio` samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: unsetIfEmpty(z.coerce.number().min(0).max(1)),
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string()),
  /** `key=value,key=value`, e.g. `deployment.environment.name=staging`. */
  OTEL_RESOURCE_ATTRIBUTES: unsetIfEmpty(z.string().regex(/^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, 'expected key=value,key=value')),
});

export type TracingConfig = z.infer<typeof tracingConfigSchema>;

export type SamplerName = TracingConfig['OTEL_TRACES_SAMPLER'];

export interface TracingSettings {
  enabled: boolean;
  exporter: 'otlp' | 'console';
  /** Where OTLP/HTTP (protobuf) spans are sent. */
  tracesUrl: string | undefined;
  sampler: SamplerName;
  ratio: number;
  serviceName: string | undefined;
  resourceAttributes: Record<string, string>;
}

export function tracingSettingsOf(config: TracingConfig): TracingSettings {
  const tracesUrl =
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT ? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  const exporter = config.OTEL_TRACES_EXPORTER;
  const enabled =
    config.OTEL_SDK_DISABLED !== 'true' &&
    config.OTEL_TRACES_SAMPLER !== 'always_off' &&
    (exporter === 'console' || (exporter === 'otlp' && tracesUrl !== undefined));
  const resourceAttributes = Object.fromEntries(
    (config.OTEL_RESOURCE_ATTRIBUTES ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=').map((part) => decodeURIComponent(part.trim())) as [string, string]),
  );
  return {
    enabled,
    exporter: exporter === 'console' ? 'console' : 'otlp',
    tracesUrl,
    sampler: config.OTEL_TRACES_SAMPLER,
    ratio: config.OTEL_TRACES_SAMPLER_ARG ?? 1,
    serviceName: config.OTEL_SERVICE_NAME,
    resourceAttributes,
  };
}
