import { ClientFrame, fixTimeProblem, type ErrorCode, type FixWindow, type ServerFrame } from '@uitgo/contracts';
import { AppError, type Logger, type RequestContext } from '@uitgo/kit';
import type { RawData, WebSocket } from 'ws';
import type { AuthenticatedCaller, Authenticator } from '../auth/authenticator.js';
import { toProtoPoint } from '../mappers/driverMappers.js';
import type { ConnectionRegistry, LiveConnection } from './connectionRegistry.js';
import type { LocationSink } from './locationStream.js';

export interface LiveSessionDeps {
  authenticator: Authenticator;
  registry: ConnectionRegistry;
  locations: LocationSink;
  /** `location` frames outside it get an error frame and are skipped. */
  fixWindow: FixWindow;
  /** Called once a connection is authenticated and registered: sends it the current state (trips, offers). */
  onConnected?: (connection: LiveConnection, context: RequestContext) => void;
  logger: Logger;
  authTimeoutMs: number;
  recheckMs: number;
  /** At most one "points dropped" notice per connection this often; drops in between are counted into it. */
  dropNoticeIntervalMs?: number;
  clock?: () => number;
}

/** Close codes (4000-4999 are the application's). */
export const CLOSE = {
  /** No, a bad, an expired or a revoked token. */
  unauthenticated: 4401,
  /** Too many frames before authenticating. */
  policy: 1008,
  goingAway: 1001,
} as const;

/** Frames a client may send while its token is being checked. */
const MAX_EARLY_FRAMES = 32;

const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.map(String).join('.') || 'frame'}: ${i.message}`).join('; ');

/**
 * One WebSocket of `/api/v1/ws`: authenticates it (`?access_token=` or a first `auth` frame
 * within `authTimeoutMs`), registers it under its user (where pushes find it), has the current
 * state sent to it, answers `ping`, and forwards drivers' `location` frames to the shared
 * location stream. A bad frame gets an `error` frame and the connection stays open; only
 * authentication failures close it.
 */
export function startLiveSession(socket: WebSocket, token: string | undefined, traceId: string, deps: LiveSessionDeps): void {
  const clock = deps.clock ?? Date.now;
  const noticeEveryMs = deps.dropNoticeIntervalMs ?? 1_000;
  let caller: AuthenticatedCaller | undefined;
  let expiresAtMs = 0;
  let authenticating: Promise<void> | undefined;
  let early: RawData[] = [];
  let unregister: (() => void) | undefined;
  let recheckTimer: NodeJS.Timeout | undefined;
  let dropped = 0;
  let lastNoticeAt = -Infinity;
  let noticeTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const sendText = (text: string) => {
    if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const send = (frame: ServerFrame) => sendText(JSON.stringify(frame));
  const sendError = (code: ErrorCode, message: string) => send({ type: 'error', code, message, traceId });
  const fail = (code: ErrorCode, message: string, closeCode: number = CLOSE.unauthenticated) => {
    if (closed) return;
    sendError(code, message);
    close(closeCode, code);
  };
  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    cleanup();
    socket.close(code, reason);
  };
  const cleanup = () => {
    clearTimeout(authTimer);
    clearTimeout(recheckTimer);
    clearTimeout(noticeTimer);
    unregister?.();
    early = [];
  };

  const authTimer = token
    ? undefined
    : setTimeout(() => fail('UNAUTHENTICATED', `Send {"type":"auth","accessToken":...} within ${deps.authTimeoutMs} ms, or connect with ?access_token=`), deps.authTimeoutMs);

  const authenticate = (accessToken: string) => {
    clearTimeout(authTimer);
    authenticating = deps.authenticator.authenticateToken(accessToken).then(
      (session) => {
        if (closed) return;
        caller = session.caller;
        expiresAtMs = session.token.expiresAtMs;
        const connection: LiveConnection = { userId: caller.userId, role: caller.role as LiveConnection['role'], sessionId: caller.sessionId, sendText, close };
        unregister = deps.registry.add(connection);
        send({ type: 'ready', userId: caller.userId, role: connection.role });
        deps.onConnected?.(connection, { traceId, caller });
        scheduleRecheck();
        const queued = early;
        early = [];
        for (const data of queued) onFrame(data);
      },
      (err: unknown) => {
        if (err instanceof AppError && err.httpStatus === 401) return fail(err.code, err.message);
        deps.logger.warn({ err, traceId }, 'websocket authentication failed');
        fail('UNAVAILABLE', 'Could not check the access token; reconnect shortly', 1011);
      },
    );
  };

  /** The session may end while the socket is open: the token expires, or logout revokes it. */
  const scheduleRecheck = () => {
    const wait = Math.max(0, Math.min(deps.recheckMs, expiresAtMs - clock()));
    recheckTimer = setTimeout(() => {
      if (closed || !caller) return;
      if (clock() >= expiresAtMs) return fail('TOKEN_EXPIRED', 'The access token has expired; reconnect with a fresh one');
      deps.authenticator.assertLive(caller.sessionId).then(scheduleRecheck, (err: unknown) => {
        if (err instanceof AppError && err.code === 'SESSION_REVOKED') return fail(err.code, err.message);
        scheduleRecheck();
      });
    }, wait);
    recheckTimer.unref();
  };

  const onFrame = (data: RawData) => {
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return preAuthOr(() => sendError('VALIDATION_FAILED', 'Frames are JSON objects with a "type"'));
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) return preAuthOr(() => sendError('VALIDATION_FAILED', `Invalid frame: ${describeIssues(parsed.error.issues)}`));
    const frame = parsed.data;
    if (!caller) {
      if (frame.type === 'auth' && !authenticating) return authenticate(frame.accessToken);
      return fail('UNAUTHENTICATED', 'The first frame must be {"type":"auth","accessToken":...}');
    }
    switch (frame.type) {
      case 'ping':
        return send({ type: 'pong' });
      case 'auth':
        return sendError('VALIDATION_FAILED', 'This connection is already authenticated');
      case 'location': {
        if (caller.role !== 'driver') return sendError('FORBIDDEN', 'Only drivers report their location');
        const stale = fixTimeProblem(Date.parse(frame.recordedAt), clock(), deps.fixWindow);
        if (stale) return sendError('VALIDATION_FAILED', `Location frame skipped: recordedAt ${stale}`);
        const { type: _type, ...point } = frame;
        if (!deps.locations.offer(caller.userId, toProtoPoint(point))) noteDropped();
        return;
      }
    }
  };

  /** Before authentication any bad frame ends the connection; after it, it is reported and skipped. */
  const preAuthOr = (report: () => void) => {
    if (caller) return report();
    fail('UNAUTHENTICATED', 'The first frame must be {"type":"auth","accessToken":...}');
  };

  const noteDropped = () => {
    dropped++;
    const wait = lastNoticeAt + noticeEveryMs - clock();
    if (wait <= 0) return noticeDropped();
    noticeTimer ??= setTimeout(noticeDropped, wait);
  };
  const noticeDropped = () => {
    clearTimeout(noticeTimer);
    noticeTimer = undefined;
    if (dropped === 0) return;
    lastNoticeAt = clock();
    sendError('UNAVAILABLE', `${dropped} location frame(s) dropped: the gateway is saturated; slow down or use POST /drivers/me/locations`);
    dropped = 0;
  };

  socket.on('message', (data, isBinary) => {
    if (closed) return;
    if (isBinary) return preAuthOr(() => sendError('VALIDATION_FAILED', 'Frames are JSON text, not binary'));
    if (!caller && authenticating) {
      if (early.length >= MAX_EARLY_FRAMES) return fail('RATE_LIMITED', 'Too many frames before authentication finished', CLOSE.policy);
      early.push(data);
      return;
    }
    onFrame(data);
  });
  socket.on('close', () => {
    closed = true;
    cleanup();
  });

  if (token) authenticate(token);
}
