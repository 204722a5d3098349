import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertExpiry,
  assertLength,
  assertValidKey,
  type ObjectInfo,
  type ObjectStore,
  type PresignedGet,
  type PresignedPut,
  type PresignGetOptions,
  type PresignPutOptions,
  type PutObjectOptions,
  type StoredObject,
} from './objectStore.js';
import { grantQuery, signGrant, verifyGrant, type LocalGrant } from './localUrlSignature.js';

export interface LocalObjectStoreOptions {
  /**
   * Objects live in `<dir>/objects/<key>`, their metadata in `<dir>/meta/<key>.json`. Keys map
   * to paths, so unlike S3 `a` and `a/b` cannot both exist.
   */
  dir: string;
  /** Where `localObjectRoutes` is reachable, e.g. `http://localhost:3000/files`. */
  baseUrl: string;
  /** HMAC key of the presigned URLs; every process serving the same dir needs the same one. */
  secret: string | Buffer;
  /** Epoch ms; tests sign in the past to get an expired URL. */
  clock?: () => number;
}

export class ObjectSizeMismatchError extends Error {
  constructor(readonly expected: number, readonly received: number | 'more') {
    super(`expected a body of ${expected} bytes, received ${received}`);
    this.name = 'ObjectSizeMismatchError';
  }
}

/** ObjectStore on a local directory, with HMAC-signed URLs served by `localObjectRoutes`. */
export class LocalObjectStore implements ObjectStore {
  private readonly baseUrl: string;
  private readonly clock: () => number;

  constructor(private readonly options: LocalObjectStoreOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? Date.now;
  }

  async put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<void> {
    if (options.contentLength !== undefined) assertLength(options.contentLength);
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    await this.write(key, source, { contentType: options.contentType, expectedLength: options.contentLength });
  }

  /**
   * Streams a body to a temporary file and renames it into place, so readers never see a
   * partial object. Fails with ObjectSizeMismatchError as soon as the body outgrows `expectedLength`.
   */
  async write(key: string, source: Readable, meta: { contentType: string; expectedLength?: number | undefined }): Promise<ObjectInfo> {
    assertValidKey(key);
    const tmp = join(this.options.dir, 'tmp', randomUUID());
    await mkdir(dirname(tmp), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const { expectedLength } = meta;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (expectedLength !== undefined && size > expectedLength) {
          done(new ObjectSizeMismatchError(expectedLength, 'more'));
          return;
        }
        md5.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
      if (expectedLength !== undefined && size !== expectedLength) throw new ObjectSizeMismatchError(expectedLength, size);
      const info: ObjectInfo = { size, contentType: meta.contentType, etag: md5.digest('hex') };
      await this.moveInto(tmp, this.dataPath(key));
      await writeFile(`${tmp}.json`, JSON.stringify(info));
      await this.moveInto(`${tmp}.json`, this.metaPath(key));
      return info;
    } finally {
      await rm(tmp, { force: true });
      await rm(`${tmp}.json`, { force: true });
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const info = await this.head(key);
    if (!info) return null;
    const body = await readFile(this.dataPath(key)).catch(nullIfMissing);
    return body && { body, contentType: info.contentType, size: body.length };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    const raw = await readFile(this.metaPath(key), 'utf8').catch(nullIfMissing);
    return raw === null ? null : (JSON.parse(raw) as ObjectInfo);
  }

  /** Opens an object for streaming (used by the download route). */
  async openRead(key: string): Promise<{ info: ObjectInfo; stream: ReadStream } | null> {
    const info = await this.head(key);
    if (!info) return null;
    const stream = createReadStream(this.dataPath(key));
    const opened = await new Promise<boolean>((resolve, reject) =>
      stream.once('open', () => resolve(true)).once('error', (error) => {
        // Deleted between reading the metadata and opening the data.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve(false);
        else reject(error);
      }),
    );
    return opened ? { info, stream } : null;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await rm(this.metaPath(key), { force: true });
    await rm(this.dataPath(key), { force: true });
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut> {
    assertExpiry(options.expiresInS);
    assertLength(options.contentLength);
    const grant: LocalGrant = {
      method: 'PUT',
      key,
      exp: this.expiry(options.expiresInS),
      contentType: options.contentType,
      contentLength: options.contentLength,
    };
    return {
      url: this.url(grant),
      method: 'PUT',
      headers: { 'Content-Type': options.contentType, 'Content-Length': String(options.contentLength) },
      expiresAt: new Date(grant.exp * 1000),
    };
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<PresignedGet> {
    assertExpiry(options.expiresInS);
    const grant: LocalGrant = { method: 'GET', key, exp: this.expiry(options.expiresInS) };
    if (options.downloadName !== undefined) grant.downloadName = options.downloadName;
    return { url: this.url(grant), expiresAt: new Date(grant.exp * 1000) };
  }

  /** Checks a presented grant: signature first, then expiry. */
  verify(grant: LocalGrant, signature: string): 'ok' | 'bad-signature' | 'expired' {
    if (!verifyGrant(this.options.secret, grant, signature)) return 'bad-signature';
    return grant.exp * 1000 <= this.clock() ? 'expired' : 'ok';
  }

  async ping(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    if (!(await stat(this.options.dir)).isDirectory()) throw new Error(`${this.options.dir} is not a directory`);
  }

  async close(): Promise<void> {}

  private url(grant: LocalGrant): string {
    assertValidKey(grant.key);
    return `${this.baseUrl}/${grant.key}?${grantQuery(grant, signGrant(this.options.secret, grant))}`;
  }

  private expiry(expiresInS: number): number {
    return Math.floor(this.clock() / 1000) + expiresInS;
  }

  private async moveInto(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }

  private dataPath(key: string): string {
    return join(this.options.dir, 'objects', key);
  }

  private metaPath(key: string): string {
    return join(this.options.dir, 'meta', `${key}.json`);
  }
}

function nullIfMissing(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
  throw error;
}
