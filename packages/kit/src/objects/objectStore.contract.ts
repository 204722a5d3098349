import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, type ObjectStore } from './objectStore.js';

export interface ObjectStoreHarness {
  store: ObjectStore;
  /** The same store with a clock running `offsetMs` behind, to sign URLs that are already expired. */
  signingInThePast(offsetMs: number): ObjectStore;
  close(): Promise<void>;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function tamper(url: string, param: string): string {
  const u = new URL(url);
  const value = u.searchParams.get(param) ?? '';
  const last = value.at(-1) === 'A' ? 'B' : 'A';
  u.searchParams.set(param, value.slice(0, -1) + last);
  return u.toString();
}

/** Behaviour every ObjectStore adapter must show, presigned URLs exercised with real HTTP requests. */
export function objectStoreContract(name: string, makeHarness: () => Promise<ObjectStoreHarness>, signatureParam: string): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let h: ObjectStoreHarness;
    let store: ObjectStore;
    const run = randomUUID();
    const key = (label: string) => `contract-test/${run}/${label}`;

    beforeAll(async () => {
      h = await makeHarness();
      store = h.store;
      await store.ping();
    });
    afterAll(async () => {
      await h?.store.close();
      await h?.close();
    });

    it('puts, heads, gets, overwrites and deletes', async () => {
      const k = key('avatar.png');
      expect(await store.get(k)).toBeNull();
      expect(await store.head(k)).toBeNull();
      await store.put(k, Buffer.from('first'), { contentType: 'image/png' });
      const first = await store.head(k);
      expect(first).toMatchObject({ size: 5, contentType: 'image/png' });
      expect(first?.etag).toMatch(/\w{8,}/);
      expect(await store.get(k)).toEqual({ body: Buffer.from('first'), contentType: 'image/png', size: 5 });
      await store.put(k, Buffer.from('second!'), { contentType: 'image/jpeg' });
      const second = await store.head(k);
      expect(second).toMatchObject({ size: 7, contentType: 'image/jpeg' });
      expect(second?.etag).not.toBe(first?.etag);
      await store.delete(k);
      expect(await store.get(k)).toBeNull();
      await expect(store.delete(k)).resolves.toBeUndefined();
    });

    it('puts a stream body', async () => {
      const k = key('receipt.pdf');
      const parts = [Buffer.from('%PDF-1.7 '), Buffer.from('receipt')];
      await store.put(k, Readable.from(parts), { contentType: 'application/pdf', contentLength: 16 });
      expect((await store.get(k))?.body.toString()).toBe('%PDF-1.7 receipt');
    });

    it('refuses keys that could escape their place', async () => {
      for (const bad of ['', '../etc/passwd', 'a/../../b', 'a//b', '/abs', 'a/./b', 'back\\slash', 'nul\0']) {
        await expect(store.put(bad, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(InvalidObjectKeyError);
        await expect(store.presignPut(bad, { contentType: 'text/plain', contentLength: 1, expiresInS: 60 })).rejects.toThrow(
          InvalidObjectKeyError,
        );
      }
    });

    it('accepts an upload through a presigned PUT', async () => {
      const k = key('licence.jpg');
      const body = randomBytes(2048);
      const grant = await store.presignPut(k, { contentType: 'image/jpeg', contentLength: body.length, expiresInS: 300 });
      expect(grant.method).toBe('PUT');
      expect(grant.headers).toEqual({ 'Content-Type': 'image/jpeg', 'Content-Length': '2048' });
      expect(grant.expiresAt.getTime()).toBeGreaterThan(Date.now() + 290_000);
      const res = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body });
      expect(res.status).toBe(200);
      const stored = await store.get(k);
      expect(stored?.contentType).toBe('image/jpeg');
      expect(sha256(stored?.body ?? Buffer.alloc(0))).toBe(sha256(body));
    });

    it('refuses a presigned PUT with another content type or a larger body', async () => {
      const k = key('id-card.jpg');
      const grant = await store.presignPut(k, { contentType: 'image/jpeg', contentLength: 100, expiresInS: 300 });
      const otherType = await fetch(grant.url, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/html' },
        body: Buffer.alloc(100, 1),
      });
      expect(otherType.status).toBeGreaterThanOrEqual(400);
      expect(otherType.status).toBeLessThan(500);
      const larger = await fetch(grant.url, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: Buffer.alloc(101, 1),
      });
      expect(larger.status).toBeGreaterThanOrEqual(400);
      expect(larger.status).toBeLessThan(500);
      expect(await store.head(k)).toBeNull();
    });

    it('refuses a presigned PUT whose signature or key was changed', async () => {
      const k = key('tamper.txt');
      const grant = await store.presignPut(k, { contentType: 'text/plain', contentLength: 5, expiresInS: 300 });
      const badSig = await fetch(tamper(grant.url, signatureParam), { method: 'PUT', headers: grant.headers, body: 'hello' });
      expect(badSig.status).toBe(403);
      const otherKeyUrl = grant.url.replace('tamper.txt', 'victim.txt');
      expect(otherKeyUrl).not.toBe(grant.url);
      const badKey = await fetch(otherKeyUrl, { method: 'PUT', headers: grant.headers, body: 'hello' });
      expect(badKey.status).toBe(403);
      expect(await store.head(k)).toBeNull();
      expect(await store.head(key('victim.txt'))).toBeNull();
    });

    it('refuses an expired presigned URL', async () => {
      const k = key('late.txt');
      const past = h.signingInThePast(2 * 3600_000);
      const grant = await past.presignPut(k, { contentType: 'text/plain', contentLength: 4, expiresInS: 60 });
      expect(grant.expiresAt.getTime()).toBeLessThan(Date.now());
      const res = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: 'late' });
      expect(res.status).toBe(403);
      await store.put(k, Buffer.from('late'), { contentType: 'text/plain' });
      const download = await past.presignGet(k, { expiresInS: 60 });
      expect((await fetch(download.url)).status).toBe(403);
    });

    it('serves a presigned GET, with a download name, and refuses a tampered one', async () => {
      const k = key('trip-receipt.pdf');
      await store.put(k, Buffer.from('receipt body'), { contentType: 'application/pdf' });
      const plain = await store.presignGet(k, { expiresInS: 300 });
      const res = await fetch(plain.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(await res.text()).toBe('receipt body');
      const named = await store.presignGet(k, { expiresInS: 300, downloadName: 'hóa đơn.pdf' });
      const namedRes = await fetch(named.url);
      expect(namedRes.status).toBe(200);
      expect(namedRes.headers.get('content-disposition')).toContain(`filename*=UTF-8''h%C3%B3a%20%C4%91%C6%A1n.pdf`);
      await namedRes.arrayBuffer();
      expect((await fetch(tamper(plain.url, signatureParam))).status).toBe(403);
    });

    it('round-trips a 12 MB body', async () => {
      const k = key('large.bin');
      const body = randomBytes(12 * 1024 * 1024);
      await store.put(k, body, { contentType: 'application/octet-stream' });
      expect((await store.head(k))?.size).toBe(body.length);
      const stored = await store.get(k);
      expect(stored?.size).toBe(body.length);
      expect(sha256(stored?.body ?? Buffer.alloc(0))).toBe(sha256(body));
      await store.delete(k);
    });
  });
}
