import { acceptTraceId, newTraceId, type Caller, type RequestContext } from '../context.js';
import { AppError, decodeWireError, encodeWireError } from '../errors.js';
import { UnimplementedRpc } from './client.js';
import { parseCaller, serializedCaller } from './metadata.js';

/**
 * Batched reads: the gateway coalesces requests of different callers that arrive together into
 * one RPC, and the service answers each as its single-request RPC would have answered that
 * request's own caller. The wire form of one request carries its caller (the x-uitgo-caller
 * JSON) and trace id; its answer is either the value or the error (the uitgo-error JSON).
 */

/** The most requests one batched call may carry. */
export const MAX_BATCH_ITEMS = 256;

/** One request of a batch as it travels: its caller and trace id beside what it asks. */
export interface BatchItemEnvelope {
  caller: string;
  traceId: string;
}

/** One answer of a batch: the value, or the request's own error (the uitgo-error JSON). */
export type BatchItemOutcome<T> = { ok: T } | { error: string };

/**
 * Serves a batched RPC. Only a service may batch (it vouches for the callers it forwards); each
 * item runs with its own caller and trace id. A refusal (an AppError) belongs to its item; any
 * other failure is a fault of the whole call.
 */
export async function serveBatch<I extends BatchItemEnvelope, T>(
  batchContext: RequestContext,
  items: readonly I[],
  field: string,
  run: (context: RequestContext, item: I) => Promise<T>,
): Promise<BatchItemOutcome<T>[]> {
  if (batchContext.caller?.role !== 'service') throw new AppError('FORBIDDEN', 'Only a service batches requests');
  if (items.length > MAX_BATCH_ITEMS) {
    throw new AppError('VALIDATION_FAILED', `${field} at most ${MAX_BATCH_ITEMS}`, { fields: [{ path: field, message: `at most ${MAX_BATCH_ITEMS}` }] });
  }
  return Promise.all(
    items.map(async (item): Promise<BatchItemOutcome<T>> => {
      const caller = parseCaller(item.caller);
      const context: RequestContext = { traceId: acceptTraceId(item.traceId), ...(caller && { caller }) };
      try {
        return { ok: await run(context, item) };
      } catch (err) {
        if (err instanceof AppError) return { error: encodeWireError(err) };
        throw err;
      }
    }),
  );
}

const BATCH_CALLER: Caller = { userId: 'gateway', role: 'service' };
/** INTERNAL: what a malformed per-item error stands for. */
const INTERNAL = 13;

interface Waiting<Q, R> {
  query: Q;
  context: RequestContext;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface CoalescedCalls<Q, R> {
  /** The plain RPC for one request, made with the request's own context. */
  single: (query: Q, context: RequestContext) => Promise<R>;
  /** The batched RPC: the requests with their envelopes, answered in order (a missing answer is an error). */
  batch: (items: (BatchItemEnvelope & { query: Q })[], context: RequestContext) => Promise<(BatchItemOutcome<R> | undefined)[]>;
  /** Flush at this many waiting requests (default 128, at most MAX_BATCH_ITEMS). */
  maxBatch?: number;
}

/** How long a server found without the batched RPC is asked with single calls before trying again. */
const UNSUPPORTED_RETRY_MS = 60_000;

/**
 * Requests that arrive in one turn of the event loop go out as one batched call, so a gRPC call
 * is paid per batch instead of per request. A lone request, and a request whose trace is
 * recorded (so its trace shows its own hop), stays a plain call. A server without the batched
 * RPC (an older release during a rolling deploy) gets single calls for a while.
 */
export class CallCoalescer<Q, R> {
  private waiting: Waiting<Q, R>[] = [];
  private scheduled = false;
  private unsupportedUntil = 0;
  private readonly maxBatch: number;

  constructor(private readonly calls: CoalescedCalls<Q, R>) {
    this.maxBatch = Math.min(calls.maxBatch ?? 128, MAX_BATCH_ITEMS);
  }

  run(query: Q, context: RequestContext): Promise<R> {
    if (context.sampled || Date.now() < this.unsupportedUntil) return this.calls.single(query, context);
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ query, context, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    if (batch.length === 1) {
      const [only] = batch as [Waiting<Q, R>];
      this.calls.single(only.query, only.context).then(only.resolve, only.reject);
      return;
    }
    const items = batch.map(({ query, context }) => ({ query, caller: context.caller ? serializedCaller(context.caller) : '', traceId: context.traceId }));
    this.calls.batch(items, { traceId: newTraceId(), caller: BATCH_CALLER }).then(
      (outcomes) =>
        batch.forEach((waiting, i) => {
          const outcome = outcomes[i];
          if (outcome && 'ok' in outcome) waiting.resolve(outcome.ok);
          else if (outcome) waiting.reject(decodeWireError(outcome.error, INTERNAL, 'Internal error'));
          else waiting.reject(new AppError('INTERNAL', 'The service answered fewer requests than asked'));
        }),
      (error: unknown) => {
        if (!(error instanceof UnimplementedRpc)) return batch.forEach((waiting) => waiting.reject(error));
        this.unsupportedUntil = Date.now() + UNSUPPORTED_RETRY_MS;
        for (const waiting of batch) this.calls.single(waiting.query, waiting.context).then(waiting.resolve, waiting.reject);
      },
    );
  }
}
