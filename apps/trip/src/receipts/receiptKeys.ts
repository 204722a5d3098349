/** Where a trip's receipt lives in the object store: one key per trip, so rendering twice overwrites. */
export const receiptKey = (tripId: string): string => `receipts/${tripId}.pdf`;
