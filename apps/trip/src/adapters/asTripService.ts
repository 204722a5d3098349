import type { RequestContext } from '@uitgo/kit';

/** Call options of a call the trip service makes as itself; the trace (and span) of the request it serves travels along. */
export const asTripService = (ctx: RequestContext) => ({ context: { ...ctx, caller: { userId: 'trip-service', role: 'service' as const } } });
