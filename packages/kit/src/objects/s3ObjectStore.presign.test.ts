import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from './s3ObjectStore.js';

// Presigning is pure computation: these checks need no S3 server.
describe('S3ObjectStore presigning', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');
  const store = new S3ObjectStore({
    endpoint: 'http://s3.internal:9000',
    publicEndpoint: 'https://files.uitgo.example',
    region: 'us-east-1',
    bucket: 'uitgo',
    forcePathStyle: true,
    credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    clock: () => now,
  });

  it('binds content type and length into the upload signature, on the public host', async () => {
    const grant = await store.presignPut('avatars/u1.jpg', { contentType: 'image/jpeg', contentLength: 1234, expiresInS: 600 });
    const url = new URL(grant.url);
    expect(url.origin).toBe('https://files.uitgo.example');
    expect(url.pathname).toBe('/uitgo/avatars/u1.jpg');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20250615T120000Z');
    expect(grant.headers).toEqual({ 'Content-Type': 'image/jpeg', 'Content-Length': '1234' });
    expect(grant.expiresAt).toEqual(new Date(now + 600_000));
  });

  it('asks S3 to serve a download under the given file name', async () => {
    const grant = await store.presignGet('receipts/t1.pdf', { expiresInS: 60, downloadName: 'receipt "t1".pdf' });
    const disposition = new URL(grant.url).searchParams.get('response-content-disposition');
    expect(disposition).toBe(`attachment; filename="receipt _t1_.pdf"; filename*=UTF-8''receipt%20%22t1%22.pdf`);
  });

  it('refuses expiries SigV4 cannot express', async () => {
    await expect(store.presignGet('a', { expiresInS: 0 })).rejects.toThrow(RangeError);
    await expect(store.presignGet('a', { expiresInS: 8 * 24 * 3600 })).rejects.toThrow(RangeError);
  });
});
