import type { RequestContext } from '@uitgo/kit';
import { assertMayStream, mayReportFor } from '../domain/accessPolicy.js';
import type { RawLocationFix } from '../domain/locationPoint.js';
import { callerOf, type DriverDeps } from './deps.js';
import type { IngestItem, makeIngestLocations } from './ingestLocations.js';

export interface StreamedFix {
  driverId: string;
  fix: RawLocationFix | undefined;
}

export interface StreamTotals {
  accepted: number;
  rejected: number;
  ignored: number;
}

/**
 * Points of many drivers on one stream (the gateway multiplexes its WebSockets), ingested in
 * micro-batches: a batch goes when it is full or has waited `lingerMs`. While one is ingested the
 * next fills up; a full batch waits for the previous one, which pushes back on the stream.
 */
export function makeStreamLocations(ingest: ReturnType<typeof makeIngestLocations>, { settings }: Pick<DriverDeps, 'settings'>) {
  return async (ctx: RequestContext, messages: AsyncIterable<StreamedFix>): Promise<StreamTotals> => {
    const caller = callerOf(ctx);
    assertMayStream(caller);
    const totals: StreamTotals = { accepted: 0, rejected: 0, ignored: 0 };
    let pending: IngestItem[] = [];
    let previous: Promise<void> = Promise.resolve();
    let failure: unknown;
    let timer: NodeJS.Timeout | undefined;

    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      previous = previous
        .then(() => ingest(ctx, batch))
        .then((report) => {
          totals.accepted += report.accepted;
          totals.ignored += report.ignored;
          totals.rejected += report.rejected.length;
        })
        .catch((err: unknown) => void (failure ??= err));
    };

    try {
      for await (const message of messages) {
        if (failure) throw failure;
        if (!message.driverId || !message.fix || !mayReportFor(caller, message.driverId)) {
          totals.rejected++;
          continue;
        }
        pending.push({ driverId: message.driverId, fix: message.fix });
        if (pending.length >= settings.stream.batchPoints) {
          flush();
          await previous;
        } else {
          timer ??= setTimeout(flush, settings.stream.lingerMs);
        }
      }
      flush();
      await previous;
      if (failure) throw failure;
      return totals;
    } finally {
      clearTimeout(timer);
    }
  };
}
