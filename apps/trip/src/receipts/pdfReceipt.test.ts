import { pdfText } from '@uitgo/kit/testing';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { aCompletedTrip, receiptRow } from '../test/receiptFixtures.js';
import { renderReceiptPdf } from './pdfReceipt.js';

const trip = aCompletedTrip();

describe('renderReceiptPdf', () => {
  const vehicle = { vehicleType: 'car4' as const, plateNumber: '51F-12345', vehicleModel: 'Toyota Vios Đời mới' };

  it('renders a one-page PDF naming the trip, the same bytes every time', async () => {
    const pdf = await renderReceiptPdf({ trip, driverName: 'Nguyễn Văn Đức', vehicle });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`UIT-Go receipt ${trip.id}`);
    expect(Buffer.compare(pdf, await renderReceiptPdf({ trip, driverName: 'Nguyễn Văn Đức', vehicle }))).toBe(0);
  });

  it('shows the trip, the driver by name and the vehicle, Vietnamese written without diacritics (the standard fonts lack its letters)', async () => {
    const text = pdfText(await renderReceiptPdf({ trip, driverName: 'Nguyễn Văn Đức', vehicle }));
    expect(receiptRow(text, 'Trip')).toBe(trip.id);
    expect(receiptRow(text, 'Driver')).toBe('Nguyen Van Duc');
    expect(receiptRow(text, 'Vehicle')).toBe('Car, 4 seats - Toyota Vios Doi moi (51F-12345)');
    expect(text).not.toContain(trip.driverId);
    expect(receiptRow(pdfText(await renderReceiptPdf({ trip, driverName: 'Lê Thị Hà ☺', vehicle: null })), 'Driver')).toBe('Le Thi Ha ?');
  });

  it('shows what it is given for a driver it could not name (the use-case passes their id) and the trip\'s vehicle type', async () => {
    const text = pdfText(await renderReceiptPdf({ trip, driverName: trip.driverId!, vehicle: null }));
    expect(receiptRow(text, 'Driver')).toBe(trip.driverId);
    expect(receiptRow(text, 'Vehicle')).toBe('Car, 4 seats');
  });
});
