import type { Fare, VehicleType } from '@uitgo/contracts';
import { calculateFare, type FareTable } from './fareCalculator.js';
import { pathLengthM, type LatLng } from './geo.js';

export interface FinalFareInput {
  vehicleType: VehicleType;
  quotedDistanceM: number;
  surgeMultiplier: number;
  /** The driver's recorded positions between start and completion; empty when unknown. */
  track: readonly LatLng[];
  startedAt: Date;
  completedAt: Date;
  /** The track must cover at least this share of the quoted distance to be believed. */
  minTrackShare: number;
}

/**
 * The fare of a finished ride: the distance the driver's track covered (the quoted distance when
 * the track is missing or too short to be believed), the real duration, and the quoted surge.
 */
export function finalFare(table: FareTable, input: FinalFareInput): { fare: Fare; distanceM: number; distanceSource: 'track' | 'quote' } {
  const tracked = input.track.length >= 2 ? Math.round(pathLengthM(input.track)) : 0;
  const believable = tracked > 0 && tracked >= input.quotedDistanceM * input.minTrackShare;
  const distanceM = believable ? tracked : input.quotedDistanceM;
  const durationS = Math.max(0, Math.round((input.completedAt.getTime() - input.startedAt.getTime()) / 1000));
  const fare = calculateFare(table, { vehicleType: input.vehicleType, distanceM, durationS, surgeMultiplier: input.surgeMultiplier });
  return { fare, distanceM, distanceSource: believable ? 'track' : 'quote' };
}
