import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const CLAIMS = join(tmpdir(), 'uitgo-port-claims');
/** Long enough for the caller to bind the port; by then a probe finds it taken anyway. */
const CLAIM_TTL_MS = 60_000;

/**
 * Claims `port` across processes (a file created exclusively), so two processes that probe the
 * same free port before either binds it do not both get it. A claim older than the TTL is
 * stale; without a writable temp directory every port counts as claimed by the caller.
 */
async function claim(port: number): Promise<boolean> {
  const file = join(CLAIMS, String(port));
  try {
    await mkdir(CLAIMS, { recursive: true });
    await writeFile(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return true;
    const claimed = await stat(file).then((s) => s.mtimeMs, () => 0);
    if (Date.now() - claimed < CLAIM_TTL_MS) return false;
    await writeFile(file, String(process.pid)).catch(() => undefined);
    return true;
  }
}

/**
 * A loopback port free right now, for a server that binds it a little later. Chosen outside the
 * ephemeral range: a port from `listen(0)` can be taken meanwhile by any outbound connection
 * (a busy test run opens hundreds), which made start-ups fail with EADDRINUSE. Ports handed
 * out are claimed across processes for a minute, so parallel test files never get the same one.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(RANGE.from + Math.floor(Math.random() * (RANGE.to - RANGE.from)));
    if (port && (await claim(port))) return port;
  }
  const any = await tryListen(0);
  if (!any) throw new Error('no free loopback port');
  return any;
}
