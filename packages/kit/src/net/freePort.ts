import { createServer } from 'node:net';

/** Below Linux's ephemeral range (32768-60999): outbound connections never take these ports. */
const RANGE = { from: 20_000, to: 32_000 };

const tryListen = (port: number): Promise<number | null> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
    });
  });

/**
 * A loopback port free right now, for a server that binds it a little later. Chosen outside the
 * ephemeral range: a port from `listen(0)` can be taken meanwhile by any outbound connection
 * (a busy test run opens hundreds), which made start-ups fail with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(RANGE.from + Math.floor(Math.random() * (RANGE.to - RANGE.from)));
    if (port) return port;
  }
  const any = await tryListen(0);
  if (!any) throw new Error('no free loopback port');
  return any;
}
