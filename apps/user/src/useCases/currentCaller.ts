import { currentContext, type Caller } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';

/** The caller the gateway (or a peer service) put in the call's metadata; UNAUTHENTICATED if none. */
export const currentCaller = (): Caller => requireCaller(currentContext()?.caller);

export const currentTraceId = (): string | undefined => currentContext()?.traceId;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are UUIDs; anything else cannot name a stored row, so lookups treat it as not found. */
export const isUuid = (value: string): boolean => UUID.test(value);
