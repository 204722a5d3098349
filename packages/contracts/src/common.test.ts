import { describe, expect, it } from 'vitest';
import { Id, LatLng, LatLngInput, PageQuery, Timestamp, page } from './common.js';
import { z } from 'zod';

describe('LatLng', () => {
  it.each([
    [{ lat: 10.87, lng: 106.8 }, true],
    [{ lat: -90, lng: -180 }, true],
    [{ lat: 90, lng: 180 }, true],
    [{ lat: 90.0001, lng: 0 }, false],
    [{ lat: -91, lng: 0 }, false],
    [{ lat: 0, lng: 180.5 }, false],
    [{ lat: 0, lng: -181 }, false],
    [{ lat: '10', lng: 106 }, false],
  ])('%j valid: %s', (value, valid) => {
    expect(LatLng.safeParse(value).success).toBe(valid);
  });

  it('rejects unknown fields in request bodies', () => {
    expect(LatLngInput.safeParse({ lat: 1, lng: 2, alt: 3 }).success).toBe(false);
  });
});

describe('PageQuery', () => {
  it('defaults limit to 20 and leaves cursor unset', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 20 });
  });

  it('coerces query-string numbers', () => {
    expect(PageQuery.parse({ limit: '50', cursor: 'abc' })).toEqual({ limit: 50, cursor: 'abc' });
  });

  it.each(['0', '101', '2.5', 'ten'])('rejects limit=%s', (limit) => {
    expect(PageQuery.safeParse({ limit }).success).toBe(false);
  });
});

describe('page()', () => {
  const NumberPage = page(z.number());

  it('requires nextCursor, null on the last page', () => {
    expect(NumberPage.safeParse({ items: [1, 2], nextCursor: null }).success).toBe(true);
    expect(NumberPage.safeParse({ items: [1, 2], nextCursor: 'next' }).success).toBe(true);
    expect(NumberPage.safeParse({ items: [1, 2] }).success).toBe(false);
  });
});

describe('ids and timestamps', () => {
  it('accepts UUIDs only', () => {
    expect(Id.safeParse(crypto.randomUUID()).success).toBe(true);
    expect(Id.safeParse('42').success).toBe(false);
  });

  it('accepts UTC ISO timestamps', () => {
    expect(Timestamp.safeParse(new Date().toISOString()).success).toBe(true);
    expect(Timestamp.safeParse('yesterday').success).toBe(false);
  });
});
