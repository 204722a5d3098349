import { createRequire } from 'node:module';
import { eventually, type Json } from './apiClient.js';

/** The part of the `ws` client the tests use (tests/ has `ws` but not its type package). */
interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}
type WsConstructor = new (url: string) => WsClient;

const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: WsConstructor };

/** A real WebSocket client of the gateway's `/api/v1/ws` that records every frame it receives. */
export class LiveSocket {
  readonly frames: Json[] = [];
  closed: { code: number; reason: string } | undefined;
  private seen = 0;

  private constructor(private readonly ws: WsClient) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString())));
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  }

  /** Opens `ws://…/api/v1/ws` (with `?access_token=` when given) and waits until it is open. */
  static async open(baseUrl: string, accessToken?: string): Promise<LiveSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws${accessToken ? `?access_token=${encodeURIComponent(accessToken)}` : ''}`;
    const ws = new WebSocket(url);
    const socket = new LiveSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame of this type not returned before. */
  next(type: string, timeoutMs = 10_000): Promise<Json> {
    return eventually(async () => {
      const index = this.frames.findIndex((f, i) => i >= this.seen && f.type === type);
      if (index < 0) return undefined;
      this.seen = index + 1;
      return this.frames[index];
    }, { timeoutMs, what: `a ${type} frame` });
  }

  /** The first frame received that matches, whatever came before or after it; waits for it if needed. */
  waitFor(match: (frame: Json) => boolean, what: string, timeoutMs = 10_000): Promise<Json> {
    return eventually(async () => this.frames.find(match), { timeoutMs, what });
  }

  waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return eventually(async () => this.closed, { timeoutMs, what: 'the server closing the socket' });
  }

  close(): void {
    this.ws.close();
  }
}
