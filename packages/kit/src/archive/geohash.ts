const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** Standard geohash: bits alternate longitude/latitude, starting with longitude, 5 bits per character. */
export function encodeGeohash(lat: number, lng: number, precision = 9): string {
  if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
    throw new RangeError(`invalid coordinate (${lat}, ${lng})`);
  }
  if (!Number.isInteger(precision) || precision < 1 || precision > 12) {
    throw new RangeError(`geohash precision must be 1..12, got ${precision}`);
  }
  let latLo = -90;
  let latHi = 90;
  let lngLo = -180;
  let lngHi = 180;
  let hash = '';
  let bits = 0;
  let value = 0;
  let evenBit = true;
  while (hash.length < precision) {
    if (evenBit) {
      const mid = (lngLo + lngHi) / 2;
      value = value * 2 + (lng >= mid ? 1 : 0);
      if (lng >= mid) lngLo = mid;
      else lngHi = mid;
    } else {
      const mid = (latLo + latHi) / 2;
      value = value * 2 + (lat >= mid ? 1 : 0);
      if (lat >= mid) latLo = mid;
      else latHi = mid;
    }
    evenBit = !evenBit;
    if (++bits === 5) {
      hash += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

export function isGeohash(value: string, length?: number): boolean {
  return (length === undefined || value.length === length) && /^[0-9b-hjkmnp-z]+$/.test(value);
}
