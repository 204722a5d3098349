import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './freePort.js';

describe('freePort', () => {
  it('hands out a port that can be bound on loopback, never the same one twice within a minute', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  // 200 and 400 draws from 12,000 ports would share about 7 without the claims.
  it('does not hand another process a port this one just got', async () => {
    const mine = new Set(await Promise.all(Array.from({ length: 200 }, () => freePort())));
    const script = `import('./packages/kit/src/net/freePort.ts').then(async ({ freePort }) => {
      const got = await Promise.all(Array.from({ length: 400 }, () => freePort()));
      process.stdout.write(JSON.stringify(got));
    })`;
    const theirs = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script]).toString()) as number[];
    expect(theirs.filter((p) => mine.has(p))).toEqual([]);
  });
});
