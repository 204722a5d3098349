import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { vi } from 'vitest';
import { startTracing } from '../tracing/tracing.js';
import { tracingConfigSchema, tracingSettingsOf } from '../tracing/tracingConfig.js';

export type { ReadableSpan };

export interface SpanRecorder {
  /** Ended spans of one trace, in the order they ended. */
  spansOf(traceId: string): ReadableSpan[];
  /** The trace's spans once `ready` holds of them (spans end as their work settles); fails after 10 s. */
  settled(traceId: string, ready: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]>;
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
  const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  return {
    spansOf,
    settled: (traceId, ready) =>
      vi.waitFor(
        () => {
          const spans = spansOf(traceId);
          if (!ready(spans)) throw new Error(`trace ${traceId} is not complete yet`);
          return spans;
        },
        { timeout: 10_000, interval: 20 },
      ),
    stop: async () => tracing?.shutdown(),
  };
}
