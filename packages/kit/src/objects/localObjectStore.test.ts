import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './localObjectStore.js';
import { localObjectRoutes } from './localObjectRoutes.js';
import { objectStoreContract } from './objectStore.contract.js';

objectStoreContract(
  'local directory served by Fastify',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uitgo-objects-'));
    const secret = 'contract-test-secret';
    // The serving instance only verifies; signing instances below share its dir and secret,
    // as several processes would. It exists before `listen` chooses the port for baseUrl.
    const app = Fastify();
    await app.register(localObjectRoutes(new LocalObjectStore({ dir, secret, baseUrl: '/files' })), { prefix: '/files' });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `${address}/files`;
    return {
      store: new LocalObjectStore({ dir, secret, baseUrl }),
      signingInThePast: (offsetMs) => new LocalObjectStore({ dir, secret, baseUrl, clock: () => Date.now() - offsetMs }),
      close: async () => {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  'sig',
);

describe('localObjectRoutes', () => {
  let dir: string;
  let app: FastifyInstance;
  let store: LocalObjectStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uitgo-objects-'));
    store = new LocalObjectStore({ dir, secret: 'routes-secret', baseUrl: 'http://files.local/files' });
    app = Fastify();
    await app.register(localObjectRoutes(store), { prefix: '/files' });
    await store.put('docs/secret.txt', Buffer.from('top secret'), { contentType: 'text/plain' });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const pathOf = (url: string) => url.replace('http://files.local', '');

  it('refuses keys that climb out of the directory, before looking at the signature', async () => {
    for (const url of ['/files/docs/..%2f..%2fetc%2fpasswd', '/files/..%5c..%5cetc', '/files/docs//secret.txt']) {
      const res = await app.inject({ method: 'GET', url: `${url}?exp=9999999999&sig=x` });
      expect(res.statusCode, url).toBe(400);
    }
  });

  it('refuses an upload without the signed Content-Length', async () => {
    const grant = await store.presignPut('docs/new.txt', { contentType: 'text/plain', contentLength: 5, expiresInS: 60 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    // Written in two pieces without a length, node:http sends the body chunked.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${address}${pathOf(grant.url)}`, { method: 'PUT', headers: { 'content-type': 'text/plain' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('error', reject);
      req.write('hel');
      req.end('lo');
    });
    expect(status).toBe(403);
    expect(await store.head('docs/new.txt')).toBeNull();
  });

  it('does not accept a download signature as an upload grant', async () => {
    const download = await store.presignGet('docs/secret.txt', { expiresInS: 60 });
    const res = await app.inject({
      method: 'PUT',
      url: pathOf(download.url),
      headers: { 'content-type': 'text/plain' },
      payload: 'owned',
    });
    expect(res.statusCode).toBe(403);
    expect((await store.get('docs/secret.txt'))?.body.toString()).toBe('top secret');
  });

  it('answers 404 for a validly signed URL of a missing object', async () => {
    const grant = await store.presignGet('docs/missing.txt', { expiresInS: 60 });
    expect((await app.inject({ method: 'GET', url: pathOf(grant.url) })).statusCode).toBe(404);
  });
});
