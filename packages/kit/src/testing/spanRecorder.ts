import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../tracing/tracing.js';
import { tracingConfigSchema, tracingSettingsOf } from '../tracing/tracingConfig.js';

export type { ReadableSpan };

export interface SpanRecorder {
  /** Ended spans of one trace, in the order they ended. */
  spansOf(traceId: string): ReadableSpan[];
  /** Turns tracing off again. */
  stop(): Promise<void>;
}

/**
 * Turns tracing on for this test file's process, keeping ended spans in memory. Start it before
 * building the servers under test: they add their tracing hooks only when tracing is on.
 */
export async function startSpanRecorder(service = 'test'): Promise<SpanRecorder> {
  const exporter = new InMemorySpanExporter();
  const tracing = await startTracing({ service, settings: tracingSettingsOf(tracingConfigSchema.parse({})), exporter });
  return {
    spansOf: (traceId) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId),
    stop: async () => tracing?.shutdown(),
  };
}
