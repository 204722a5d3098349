import { z } from 'zod';

/** Every public route is served under this prefix; route descriptors hold paths relative to it. */
export const API_PREFIX = '/api/v1';

/** Entity ids are UUIDs, so malformed ids fail validation (400) before reaching a database. */
export const Id = z.uuid().meta({ description: 'UUID', example: '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51' });
export type Id = z.infer<typeof Id>;

export const IdParams = z.object({ id: Id });
export type IdParams = z.infer<typeof IdParams>;

/** Timestamps the platform emits: ISO-8601 in UTC (`Z`). */
export const Timestamp = z.iso
  .datetime()
  .meta({ description: 'ISO-8601 UTC timestamp', example: '2025-11-26T04:02:00.000Z' });
export type Timestamp = z.infer<typeof Timestamp>;

/** Timestamps clients send (device clocks) may carry an offset; services normalise to UTC. */
export const ClientTimestamp = z.iso
  .datetime({ offset: true })
  .meta({ description: 'ISO-8601 timestamp, UTC or with an offset', example: '2025-11-26T11:02:00+07:00' });

/** Whether the text holds a control character (tab and line breaks allowed in multi-line text). */
function hasControlCharacter(value: string, multiline: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d)))) return true;
  }
  return false;
}

/**
 * Text a person typed: trimmed, `min`..`max` characters, no control characters (a NUL byte cannot
 * even be stored); one-line text such as a name also refuses tabs and line breaks.
 */
export const text = ({ min = 1, max, multiline = false }: { min?: number; max: number; multiline?: boolean }) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((value) => !hasControlCharacter(value, multiline), {
      error: multiline ? 'must not contain control characters' : 'must not contain control characters or line breaks',
    });

export const Latitude = z.number().min(-90).max(90).meta({ description: 'WGS84 latitude in degrees', example: 10.87 });
export const Longitude = z
  .number()
  .min(-180)
  .max(180)
  .meta({ description: 'WGS84 longitude in degrees', example: 106.8030 });

export const LatLng = z
  .object({ lat: Latitude, lng: Longitude })
  .meta({ description: 'A WGS84 position', example: { lat: 10.87, lng: 106.803 } });
export type LatLng = z.infer<typeof LatLng>;

/** The same position inside request bodies, where unknown fields are rejected. */
export const LatLngInput = LatLng.strict();

export const Currency = z.literal('VND').meta({ description: 'ISO-4217 currency; only VND is offered' });
export type Currency = z.infer<typeof Currency>;

/** VND has no minor unit, so amounts are whole đồng. */
export const Amount = z.number().int().meta({ description: 'Integer amount of VND', example: 45000 });

export const Money = z.object({ amount: Amount.nonnegative(), currency: Currency });
export type Money = z.infer<typeof Money>;

export const Role = z.enum(['passenger', 'driver', 'admin']);
export type Role = z.infer<typeof Role>;

export const VehicleType = z
  .enum(['bike', 'car4', 'car7'])
  .meta({ description: 'bike: motorbike; car4 / car7: car with 4 or 7 seats' });
export type VehicleType = z.infer<typeof VehicleType>;

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** Query strings arrive as text, hence the coercion. */
export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(PAGE_LIMIT_MAX)
  .default(PAGE_LIMIT_DEFAULT)
  .meta({ description: `Page size, 1..${PAGE_LIMIT_MAX}`, example: PAGE_LIMIT_DEFAULT });

export const Cursor = z
  .string()
  .min(1)
  .max(512)
  .meta({ description: 'Opaque cursor from a previous page\'s `nextCursor`' });

export const PageQuery = z.object({ limit: Limit, cursor: Cursor.optional() });
export type PageQuery = z.infer<typeof PageQuery>;

/** The envelope of every paginated list. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

/** A complete (unpaginated) list, e.g. the caller's own documents. */
export function list<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** Sent on POSTs that create something; see API.md, Idempotency. */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: 'Client-chosen key; a repeat returns the first response', example: 'c5b1e2f0-7d3a-4b8e-a1f9-0d2c6e4b8a17' });

export const IdempotencyHeaders = z.object({ 'idempotency-key': IdempotencyKey.optional() });
export const RequiredIdempotencyHeaders = z.object({ 'idempotency-key': IdempotencyKey });

export const HealthStatus = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatus>;
