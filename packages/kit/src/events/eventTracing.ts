import type { RequestContext } from '../context.js';
import { parseTraceParent } from '../tracing/traceParent.js';
import { endSpan, SpanKind, spanTraceParent, startSpan, tracingEnabled, type Span } from '../tracing/tracing.js';
import type { BusEvent, DeliveredEvent, HandleControl, SubscribeOptions } from './eventBus.js';

/**
 * The request context an event continues: its trace id, under the span that published it (or,
 * inside a traced handler, the span handling it). Pass it on as `{ context }` like a request's.
 */
export function eventContext(event: BusEvent): RequestContext | undefined {
  if (!event.traceId) return undefined;
  const parent = parseTraceParent(event.traceParent);
  return parent?.traceId === event.traceId ? { traceId: event.traceId, spanId: parent.spanId, sampled: parent.sampled } : { traceId: event.traceId };
}

/** `event` whose `traceParent` names `span`, so what its handler does nests under that span. */
function underSpan<E extends BusEvent>(event: E, span: Span | undefined): E {
  return span ? { ...event, traceParent: spanTraceParent(span) } : event;
}

/**
 * Producer spans of events about to be published to `topic`, each in its event's trace; the
 * events returned carry their span as `traceParent`. Undefined when tracing is off.
 */
export function tracePublish(topic: string, events: BusEvent[]): { events: BusEvent[]; end(error?: unknown): void } | undefined {
  if (!tracingEnabled()) return undefined;
  const spans = events.map((event) =>
    startSpan(eventContext(event), `publish ${topic}`, SpanKind.PRODUCER, {
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      'messaging.message.id': event.id,
      'uitgo.event.type': event.type,
    }),
  );
  return {
    events: events.map((event, i) => underSpan(event, spans[i])),
    end: (error) => spans.forEach((span) => endSpan(span, error)),
  };
}

/**
 * With tracing on, each delivered event gets a consumer span, a child of the span that published
 * it, lasting as long as its batch's handler; the handler sees `traceParent` naming that span.
 */
export function traceConsumer(options: SubscribeOptions, system: string): SubscribeOptions {
  if (!tracingEnabled()) return options;
  const { handle, groupId } = options;
  return {
    ...options,
    async handle(events: DeliveredEvent[], control: HandleControl) {
      const spans = events.map((event) =>
        startSpan(eventContext(event), `process ${event.topic}`, SpanKind.CONSUMER, {
          'messaging.system': system,
          'messaging.operation.type': 'process',
          'messaging.destination.name': event.topic,
          'messaging.destination.partition.id': String(event.partition),
          'messaging.consumer.group.name': groupId,
          'messaging.message.id': event.id,
          'uitgo.event.type': event.type,
        }),
      );
      try {
        await handle(events.map((event, i) => underSpan(event, spans[i])), control);
      } catch (err) {
        spans.forEach((span) => endSpan(span, err));
        throw err;
      }
      spans.forEach((span) => span?.end());
    },
  };
}
