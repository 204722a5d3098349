import websocket from '@fastify/websocket';
import { API_PREFIX, LIVE_PATH } from '@uitgo/contracts';
import type { FastifyInstance } from 'fastify';
import { CLOSE, startLiveSession, type LiveSessionDeps } from './liveSession.js';

export interface LiveRouteOptions {
  maxFrameBytes: number;
}

/** `GET /api/v1/ws`: the live channel (see liveSession.ts). On shutdown every socket is closed with 1001. */
export async function registerLiveRoute(app: FastifyInstance, deps: LiveSessionDeps, { maxFrameBytes }: LiveRouteOptions): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: maxFrameBytes },
    preClose: async function closeLiveSockets(this: FastifyInstance) {
      deps.registry.closeAll(CLOSE.goingAway, 'server shutting down');
      // Sockets still authenticating are not in the registry yet.
      for (const client of this.websocketServer.clients) client.close(CLOSE.goingAway, 'server shutting down');
      this.websocketServer.close();
    },
  });
  app.get(`${API_PREFIX}${LIVE_PATH}`, { websocket: true }, (socket, request) => {
    const token = (request.query as { access_token?: unknown }).access_token;
    startLiveSession(socket, typeof token === 'string' && token !== '' ? token : undefined, request.traceId, deps);
  });
}
