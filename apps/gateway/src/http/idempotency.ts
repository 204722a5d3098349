import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ErrorBody } from '@uitgo/contracts';
import { AppError, type RequestContext } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';

export interface StoredResponse {
  status: number;
  body: unknown;
}

type Entry =
  | { state: 'pending'; fingerprint: string; owner: string }
  | { state: 'done'; fingerprint: string; status: number; body: unknown };

export interface IdempotencyOptions {
  /** How long a completed response is replayed (API.md: 24 h). */
  ttlMs: number;
  /** How long a repeat waits for the first request before answering 409 IDEMPOTENCY_KEY_IN_USE. */
  waitMs: number;
  /** Bounds a claim whose gateway died mid-request, so the key frees itself. */
  pendingTtlMs?: number;
}

export interface IdempotentRequest {
  /** Who sent it: a user id, or `anonymous`; keys of different callers never meet. */
  scope: string;
  route: string;
  key: string;
  /** What the request asks for (params + body); the same key with another fingerprint is 422. */
  payload: unknown;
  traceId: string;
  /** The request's context while tracing is on: the store's commands become its spans. */
  context?: RequestContext | undefined;
}

/**
 * API.md, Idempotency. The first request claims the key atomically (set-if-absent with a
 * pending marker), runs, and stores its status and body; repeats replay that, and a repeat
 * that races the first waits for it. 5xx and transport failures release the key so a retry runs.
 */
export class IdempotencyKeys {
  private readonly pendingTtlMs: number;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly options: IdempotencyOptions,
  ) {
    this.pendingTtlMs = options.pendingTtlMs ?? 60_000;
  }

  async execute(request: IdempotentRequest, run: () => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
    const storeKey = `gw:idem:{${request.scope}}:${request.route}:${sha256(request.key)}`;
    const fingerprint = sha256(stableStringify(request.payload));
    const pending: Entry = { state: 'pending', fingerprint, owner: randomUUID() };
    const pendingValue = JSON.stringify(pending);
    const deadline = Date.now() + this.options.waitMs;
    let pollMs = 10;
    const { context } = request;
    while (!(await this.kv.set(storeKey, pendingValue, { onlyIfAbsent: true, ttlMs: this.pendingTtlMs, context }))) {
      const raw = await this.kv.get(storeKey, { context });
      if (raw === null) continue; // released or expired meanwhile: try to claim it again
      const entry = JSON.parse(raw) as Entry;
      if (entry.fingerprint !== fingerprint) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request');
      }
      if (entry.state === 'done') return { status: entry.status, body: entry.body, replayed: true };
      if (Date.now() >= deadline) {
        throw new AppError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still in progress; retry later');
      }
      await delay(Math.min(pollMs, Math.max(1, deadline - Date.now())));
      pollMs = Math.min(pollMs * 2, 100);
    }

    let outcome: StoredResponse;
    try {
      outcome = await run();
    } catch (err) {
      if (err instanceof AppError && err.httpStatus < 500) {
        await this.complete(storeKey, pendingValue, fingerprint, { status: err.httpStatus, body: errorBodyOf(err, request.traceId) }, context);
      } else {
        await this.release(storeKey, pendingValue, context);
      }
      throw err;
    }
    await this.complete(storeKey, pendingValue, fingerprint, outcome, context);
    return { ...outcome, replayed: false };
  }

  private async complete(storeKey: string, pendingValue: string, fingerprint: string, response: StoredResponse, context?: RequestContext): Promise<void> {
    const done: Entry = { state: 'done', fingerprint, status: response.status, body: response.body };
    await this.kv.compareAndSet(storeKey, pendingValue, JSON.stringify(done), { ttlMs: this.options.ttlMs, context });
  }

  private async release(storeKey: string, pendingValue: string, context?: RequestContext): Promise<void> {
    // Only our own claim: after a pending expiry someone else may hold the key.
    if ((await this.kv.get(storeKey, { context })) === pendingValue) await this.kv.del(storeKey, { context });
  }
}

export function errorBodyOf(err: AppError, traceId: string): ErrorBody {
  const body: ErrorBody = { code: err.code, message: err.message, traceId };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** JSON with sorted object keys, so `{a,b}` and `{b,a}` are the same request. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
