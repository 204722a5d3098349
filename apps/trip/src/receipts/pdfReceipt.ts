import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { TripRecord } from '../domain/trip.js';
import type { DriverVehicle } from '../ports/driverDirectory.js';

export interface ReceiptContent {
  trip: TripRecord;
  /** The driver's name, or their account id when the user service could not say. */
  driverName: string;
  vehicle: DriverVehicle | null;
}

const VEHICLE_NAMES = { bike: 'Motorbike', car4: 'Car, 4 seats', car7: 'Car, 7 seats' } as const;
const vnd = (amount: number) => `${amount.toLocaleString('en-US')} VND`;
const at = (d: Date | null) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC` : '-');
const point = (p: { lat: number; lng: number }) => `${p.lat.toFixed(5)}, ${p.lng.toFixed(5)}`;
/**
 * The standard PDF fonts only cover Latin-1. Text that needs more is written without diacritics,
 * as Vietnamese commonly is ("Nguyễn Văn Đức" -> "Nguyen Van Duc"); what is left over is shown as '?'.
 */
const latin1 = (text: string) =>
  /^[\x20-\x7e\xa0-\xff]*$/.test(text)
    ? text
    : text.normalize('NFD').replace(/\p{M}/gu, '').replaceAll('Đ', 'D').replaceAll('đ', 'd').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

/** The receipt of a completed trip: who, when, where, the fare line by line, the driver and vehicle. */
export async function renderReceiptPdf({ trip, driverName, vehicle }: ReceiptContent): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`UIT-Go receipt ${trip.id}`);
  pdf.setProducer('UIT-Go trip service');
  pdf.setCreationDate(trip.completedAt ?? trip.updatedAt);
  pdf.setModificationDate(trip.completedAt ?? trip.updatedAt);
  const page = pdf.addPage([595, 842]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 790;
  const line = (text: string, options: { size?: number; font?: typeof regular; x?: number } = {}) => {
    page.drawText(latin1(text), { x: options.x ?? 50, y, size: options.size ?? 11, font: options.font ?? regular, color: rgb(0.1, 0.1, 0.1) });
  };
  const next = (gap = 18) => (y -= gap);

  line('UIT-Go', { size: 24, font: bold });
  next(28);
  line('Trip receipt', { size: 14, font: bold });
  next(26);
  const rows: [string, string][] = [
    ['Trip', trip.id],
    ['Passenger', trip.passengerId],
    ['Requested', at(trip.createdAt)],
    ['Started', at(trip.startedAt)],
    ['Completed', at(trip.completedAt)],
    ['Pickup', point(trip.pickup)],
    ['Dropoff', point(trip.dropoff)],
    ['Distance', `${(trip.distanceM / 1000).toFixed(1)} km`],
    ['Driver', driverName],
    ['Vehicle', vehicle ? `${VEHICLE_NAMES[vehicle.vehicleType]} - ${vehicle.vehicleModel} (${vehicle.plateNumber})` : VEHICLE_NAMES[trip.vehicleType]],
  ];
  for (const [label, value] of rows) {
    line(label, { font: bold });
    line(value, { x: 150 });
    next();
  }
  next(10);
  line('Fare', { size: 14, font: bold });
  next(22);
  const fare = trip.fare ?? { amount: trip.quote.amount, currency: 'VND', breakdown: trip.quote.breakdown };
  for (const fareLine of fare.breakdown) {
    line(fareLine.label);
    line(vnd(fareLine.amount), { x: 400 });
    next();
  }
  page.drawLine({ start: { x: 50, y: y + 8 }, end: { x: 545, y: y + 8 }, thickness: 0.5 });
  next(6);
  line('Total', { font: bold });
  line(vnd(fare.amount), { x: 400, font: bold });
  next(30);
  line(`Quoted ${vnd(trip.quote.amount)}${trip.quote.surgeMultiplier > 1 ? ` (surge x${trip.quote.surgeMultiplier})` : ''}`, { size: 9 });
  return Buffer.from(await pdf.save());
}
