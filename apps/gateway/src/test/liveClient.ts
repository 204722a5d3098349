import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { eventually } from './testGateway.js';

/** Server frames are whatever the gateway sent; tests assert their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Frame = any;

export interface LiveClient {
  ws: WebSocket;
  frames: Frame[];
  /** Set once the server closed the connection. */
  closed: { code: number; reason: string } | undefined;
  send(frame: unknown): void;
  /** Waits for the next not yet seen frame of this type. */
  next(type: string, timeoutMs?: number): Promise<Frame>;
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

/** A WebSocket client of `/api/v1/ws` over Fastify's in-process injection, recording every frame from the start. */
export async function connectLive(app: FastifyInstance, query = ''): Promise<LiveClient> {
  const frames: Frame[] = [];
  let seen = 0;
  const client: Partial<LiveClient> = { frames, closed: undefined };
  const ws = await app.injectWS(`/api/v1/ws${query}`, {}, {
    onInit(socket) {
      socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
      socket.on('close', (code, reason) => (client.closed = { code, reason: reason.toString() }));
    },
  });
  return Object.assign(client, {
    ws,
    send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async next(type: string, timeoutMs = 5_000) {
      let found: Frame;
      await eventually(() => {
        const index = frames.findIndex((f, i) => i >= seen && f.type === type);
        if (index < 0) return false;
        found = frames[index];
        seen = index + 1;
        return true;
      }, timeoutMs);
      return found;
    },
    async waitClosed(timeoutMs = 5_000) {
      await eventually(() => client.closed !== undefined, timeoutMs);
      return client.closed!;
    },
  }) as LiveClient;
}
