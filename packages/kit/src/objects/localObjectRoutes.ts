import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LocalGrant } from './localUrlSignature.js';
import { ObjectSizeMismatchError, type LocalObjectStore } from './localObjectStore.js';
import { assertValidKey, attachmentDisposition } from './objectStore.js';

type Query = Record<string, string | string[] | undefined>;

const one = (query: Query, name: string): string | undefined => {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Serves the presigned URLs of a LocalObjectStore: `PUT <prefix>/<key>` and `GET <prefix>/<key>`.
 * Register it at the path of the store's baseUrl, e.g. `app.register(localObjectRoutes(store), { prefix: '/files' })`.
 * Refusals mirror S3: 403 for a bad signature, an expired URL, or headers that differ from the signed ones.
 */
export function localObjectRoutes(store: LocalObjectStore): FastifyPluginAsync {
  return async (app) => {
    // Bodies are streamed straight to disk, whatever their type; this only affects this plugin's scope.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    app.put('/*', async (request, reply) => {
      const key = keyOf(request, reply);
      if (key === null) return reply;
      const query = request.query as Query;
      const exp = Number(one(query, 'exp'));
      const contentLength = Number(one(query, 'len'));
      const grant: LocalGrant = { method: 'PUT', key, exp, contentType: one(query, 'ct') ?? '', contentLength };
      if (!authorized(store, grant, one(query, 'sig'), reply)) return reply;
      if (request.headers['content-type'] !== grant.contentType) return deny(reply, 'Content-Type differs from the signed one');
      if (request.headers['content-length'] !== String(contentLength)) {
        return deny(reply, 'Content-Length differs from the signed one');
      }
      try {
        const info = await store.write(key, request.body as Readable, { contentType: grant.contentType, expectedLength: contentLength });
        return reply.header('etag', `"${info.etag}"`).code(200).send();
      } catch (error) {
        if (error instanceof ObjectSizeMismatchError) return reply.code(400).send({ error: error.message });
        throw error;
      }
    });

    // No HEAD twin: the signature is bound to GET, as on S3.
    app.get('/*', { exposeHeadRoute: false }, async (request, reply) => {
      const key = keyOf(request, reply);
      if (key === null) return reply;
      const query = request.query as Query;
      const grant: LocalGrant = { method: 'GET', key, exp: Number(one(query, 'exp')) };
      const downloadName = one(query, 'dn');
      if (downloadName !== undefined) grant.downloadName = downloadName;
      if (!authorized(store, grant, one(query, 'sig'), reply)) return reply;
      const object = await store.openRead(key);
      if (!object) return reply.code(404).send({ error: 'no such object' });
      reply.header('content-type', object.info.contentType).header('content-length', object.info.size);
      reply.header('etag', `"${object.info.etag}"`);
      if (downloadName !== undefined) reply.header('content-disposition', attachmentDisposition(downloadName));
      return reply.send(object.stream);
    });
  };
}

function keyOf(request: FastifyRequest, reply: FastifyReply): string | null {
  const key = (request.params as { '*'?: string })['*'] ?? '';
  try {
    assertValidKey(key);
    return key;
  } catch {
    void reply.code(400).send({ error: 'invalid object key' });
    return null;
  }
}

function authorized(store: LocalObjectStore, grant: LocalGrant, signature: string | undefined, reply: FastifyReply): boolean {
  const verdict = Number.isSafeInteger(grant.exp) && signature !== undefined ? store.verify(grant, signature) : 'bad-signature';
  if (verdict === 'ok') return true;
  void deny(reply, verdict === 'expired' ? 'URL expired' : 'signature does not match');
  return false;
}

function deny(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(403).send({ error: message });
}
