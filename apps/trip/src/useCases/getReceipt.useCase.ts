import type { RequestContext } from '@uitgo/kit';
import { Forbidden, TripNotCompleted, TripNotFound } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { mayView } from '../domain/tripStateMachine.js';
import { renderReceiptPdf } from '../receipts/pdfReceipt.js';
import { receiptKey } from '../receipts/receiptKeys.js';
import { actorOf, isUuid, type TripDeps } from './deps.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'objects' | 'settings' | 'logger' | 'metrics' | 'clock'>;

/** Renders and stores a completed trip's receipt unless it is stored already; safe to repeat and to race. */
export async function ensureReceipt(deps: Deps, ctx: RequestContext, trip: TripRecord): Promise<string> {
  const stored = await deps.trips.findReceipt(trip.id, ctx);
  if (stored) return stored.objectKey;
  const vehicle = await deps.drivers.vehicle(ctx, trip.driverId!).catch((err: unknown) => {
    deps.logger.warn({ err, tripId: trip.id, traceId: ctx.traceId }, 'driver profile unavailable: receipt shows the vehicle type only');
    return null;
  });
  const pdf = await renderReceiptPdf({ trip, driverId: trip.driverId!, vehicle });
  const key = receiptKey(trip.id);
  await deps.objects.put(key, pdf, { contentType: 'application/pdf', contentLength: pdf.length });
  await deps.trips.saveReceipt({ tripId: trip.id, objectKey: key, sizeBytes: pdf.length, createdAt: new Date(deps.clock()) }, ctx);
  deps.metrics.receipts.inc();
  return key;
}

/** A short-lived link to the receipt of a completed trip, for its passenger, its driver or an admin. */
export function makeGetReceipt(deps: Deps) {
  return async (ctx: RequestContext, input: { tripId: string }): Promise<{ url: string; expiresAt: Date }> => {
    const actor = actorOf(ctx);
    const trip = isUuid(input.tripId) ? await deps.trips.find(input.tripId, ctx) : null;
    if (!trip) throw new TripNotFound(input.tripId);
    if (!mayView(trip, actor)) throw new Forbidden('You may only see receipts of your own trips');
    if (trip.status !== 'COMPLETED') throw new TripNotCompleted();
    const key = await ensureReceipt(deps, ctx, trip);
    return deps.objects.presignGet(key, { expiresInS: deps.settings.receiptUrlTtlS, downloadName: `uitgo-receipt-${trip.id}.pdf` });
  };
}
