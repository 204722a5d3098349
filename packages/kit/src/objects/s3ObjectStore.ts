import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  assertExpiry,
  assertLength,
  assertValidKey,
  attachmentDisposition,
  type ObjectInfo,
  type ObjectStore,
  type PresignedGet,
  type PresignedPut,
  type PresignGetOptions,
  type PresignPutOptions,
  type PutObjectOptions,
  type StoredObject,
} from './objectStore.js';

export interface S3ObjectStoreOptions {
  bucket: string;
  region: string;
  /** S3-compatible server (MinIO, S3Proxy); omitted for AWS S3. */
  endpoint?: string;
  /** Endpoint clients reach, when it differs from the internal one: presigned URLs are signed for this host. */
  publicEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  /** Multipart part size for `put` (S3 minimum 5 MiB). */
  partSizeBytes?: number;
  /** Signing time source; tests sign in the past to get an expired URL. */
  clock?: () => number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly presignClient: S3Client;
  private readonly clock: () => number;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.client = new S3Client(clientConfig(options, options.endpoint));
    this.presignClient = options.publicEndpoint
      ? new S3Client(clientConfig(options, options.publicEndpoint))
      : this.client;
    this.clock = options.clock ?? Date.now;
  }

  async put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<void> {
    assertValidKey(key);
    if (options.contentLength !== undefined) assertLength(options.contentLength);
    // Upload sends one PutObject for small bodies and streams larger ones as multipart parts.
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        ...(options.contentLength !== undefined && { ContentLength: options.contentLength }),
      },
      partSize: Math.max(MIN_PART_SIZE, this.options.partSizeBytes ?? MIN_PART_SIZE),
      queueSize: 2,
    });
    await upload.done();
  }

  async get(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      const body = Buffer.from((await res.Body?.transformToByteArray()) ?? []);
      return { body, contentType: res.ContentType ?? 'application/octet-stream', size: body.length };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return {
        size: res.ContentLength ?? 0,
        contentType: res.ContentType ?? 'application/octet-stream',
        etag: (res.ETag ?? '').replaceAll('"', ''),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut> {
    assertValidKey(key);
    assertExpiry(options.expiresInS);
    assertLength(options.contentLength);
    const signingDate = new Date(this.clock());
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ContentType: options.contentType,
      ContentLength: options.contentLength,
    });
    // SigV4 signs every header the request carries, so Content-Type and Content-Length are bound.
    const url = await getSignedUrl(this.presignClient, command, {
      expiresIn: options.expiresInS,
      signingDate,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      method: 'PUT',
      headers: { 'Content-Type': options.contentType, 'Content-Length': String(options.contentLength) },
      expiresAt: new Date(signingDate.getTime() + options.expiresInS * 1000),
    };
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<PresignedGet> {
    assertValidKey(key);
    assertExpiry(options.expiresInS);
    const signingDate = new Date(this.clock());
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ...(options.downloadName !== undefined && {
        ResponseContentDisposition: attachmentDisposition(options.downloadName),
      }),
    });
    const url = await getSignedUrl(this.presignClient, command, { expiresIn: options.expiresInS, signingDate });
    return { url, expiresAt: new Date(signingDate.getTime() + options.expiresInS * 1000) };
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
    if (this.presignClient !== this.client) this.presignClient.destroy();
  }
}

function clientConfig(options: S3ObjectStoreOptions, endpoint: string | undefined): S3ClientConfig {
  return {
    region: options.region,
    ...(endpoint !== undefined && { endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    forcePathStyle: options.forcePathStyle ?? false,
    // S3-compatible servers (S3Proxy, MinIO) reject or mangle the newer default CRC checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
