import type { RequestContext } from '@uitgo/kit';
import { Forbidden, TripNotCompleted, TripNotFound } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { mayView } from '../domain/tripStateMachine.js';
import { renderReceiptPdf } from '../receipts/pdfReceipt.js';
import { receiptKey } from '../receipts/receiptKeys.js';
import { actorOf, isUuid, type TripDeps } from './deps.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'users' | 'objects' | 'settings' | 'logger' | 'metrics' | 'clock'>;

/** The driver's name from the user service; their account id when it cannot say (the receipt is rendered anyway). */
async function driverNameOf(deps: Deps, ctx: RequestContext, trip: TripRecord, driverId: string): Promise<string> {
  const log = { tripId: trip.id, driverId, traceId: ctx.traceId };
  try {
    const name = await deps.users.name(ctx, driverId);
    if (name) return name;
    deps.logger.warn(log, 'driver name unknown (no profile in the user service): receipt shows the driver id');
  } catch (err) {
    deps.logger.warn({ ...log, err }, 'user profile unavailable: receipt shows the driver id');
  }
  return driverId;
}

/** Renders and stores a completed trip's receipt unless it is stored already; safe to repeat and to race. */
export async function ensureReceipt(deps: Deps, ctx: RequestContext, trip: TripRecord): Promise<string> {
  const stored = await deps.trips.findReceipt(trip.id, ctx);
  if (stored) return stored.objectKey;
  const driverId = trip.driverId!;
  const [driverName, vehicle] = await Promise.all([
    driverNameOf(deps, ctx, trip, driverId),
    deps.drivers.vehicle(ctx, driverId).catch((err: unknown) => {
      deps.logger.warn({ err, tripId: trip.id, traceId: ctx.traceId }, 'driver profile unavailable: receipt shows the vehicle type only');
      return null;
    }),
  ]);
  const pdf = await renderReceiptPdf({ trip, driverName, vehicle });
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
