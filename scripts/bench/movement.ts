import { BOX } from './seedDrivers.js';

/**
 * Drivers moving through the benchmark's city, as real ones do between reports, instead of each
 * report landing at a new random point: a driver keeps its heading within ±30° per report and is
 * turned back at the box's edges, so the fleet stays spread uniformly while each driver stays in
 * its geohash cell for many reports (a jump to a random point at every report changes cell every
 * time: the most expensive path for the geo index and the archive, and one real traffic rarely
 * takes). scripts/bench/wrk/location.lua moves its drivers the same way.
 */
export const CITY_SPEED_KMH = 30;
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LNG = M_PER_DEG_LAT * Math.cos((((BOX.latMin + BOX.latMax) / 2) * Math.PI) / 180);

/** A uniform number in [0, 1) from an integer (mulberry32): the same driver index gives the same start in every process. */
function unit(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** Where driver `i` starts: uniform over the box, and the same in every process. */
export function startPoint(i: number): { lat: number; lng: number } {
  return { lat: BOX.latMin + unit(2 * i) * (BOX.latMax - BOX.latMin), lng: BOX.lngMin + unit(2 * i + 1) * (BOX.lngMax - BOX.lngMin) };
}

/** Metres a driver at city speed covers between two reports `intervalS` apart. */
export const stepBetweenReports = (intervalS: number) => (CITY_SPEED_KMH / 3.6) * intervalS;

export class Fleet {
  private readonly lat: Float64Array;
  private readonly lng: Float64Array;
  private readonly heading: Float64Array;

  constructor(count: number) {
    this.lat = new Float64Array(count);
    this.lng = new Float64Array(count);
    this.heading = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const start = startPoint(i);
      this.lat[i] = start.lat;
      this.lng[i] = start.lng;
      this.heading[i] = unit(7 * i + 3) * 2 * Math.PI;
    }
  }

  /** Moves driver `i` `stepM` metres on and returns where it is now. */
  move(i: number, stepM: number): { lat: number; lng: number } {
    let heading = this.heading[i]! + (Math.random() - 0.5) * (Math.PI / 3);
    let lat = this.lat[i]! + (Math.cos(heading) * stepM) / M_PER_DEG_LAT;
    let lng = this.lng[i]! + (Math.sin(heading) * stepM) / M_PER_DEG_LNG;
    // Turned back at an edge: reflected into the box, heading mirrored.
    if (lat < BOX.latMin || lat > BOX.latMax) {
      lat = lat < BOX.latMin ? 2 * BOX.latMin - lat : 2 * BOX.latMax - lat;
      heading = Math.PI - heading;
    }
    if (lng < BOX.lngMin || lng > BOX.lngMax) {
      lng = lng < BOX.lngMin ? 2 * BOX.lngMin - lng : 2 * BOX.lngMax - lng;
      heading = -heading;
    }
    this.lat[i] = lat;
    this.lng[i] = lng;
    this.heading[i] = heading;
    return { lat, lng };
  }
}
