import type { RequestContext } from '@uitgo/kit';

/** Asks the user service where a driver stands with identity verification. */
export interface DriverVerification {
  /** 'verified', or the status that keeps the driver off the road; throws UNAVAILABLE if it cannot tell. */
  statusOf(ctx: RequestContext, driverId: string): Promise<string>;
}
