import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PresignedPut } from '@uitgo/kit/objects';
import { assertIsUser } from '../domain/accessPolicy.js';
import { checkDeclaration, documentObjectKey, OBJECT_KEY_NONCE_BYTES } from '../domain/documentRules.js';
import type { UserDocument } from '../domain/document.js';
import { UserNotFound } from '../domain/errors.js';
import type { FileStorage } from '../ports/fileStorage.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewDocument, type DocumentView } from './views.js';

export interface CreateDocumentInput {
  userId: string;
  kind: string | null;
  contentType: string;
  sizeBytes: number;
}

export interface CreatedDocument {
  document: DocumentView;
  upload: PresignedPut;
}

/**
 * Registers a document and hands out a presigned PUT bound to the declared type and size.
 * The object key is the service's choice, so the URL can only write the caller's new object.
 */
export function makeCreateDocument(deps: { store: UserStore; files: FileStorage; uploadUrlTtlS: number; downloadUrlTtlS: number }) {
  return async (ctx: RequestContext, input: CreateDocumentInput): Promise<CreatedDocument> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertIsUser(caller, userId);
    const declared = checkDeclaration(input);
    if (!isUuid(userId) || !(await deps.store.profiles.findById(userId, ctx))) throw new UserNotFound(userId);
    const document: UserDocument = {
      id: randomUUID(),
      userId,
      ...declared,
      status: 'awaiting_upload',
      objectKey: documentObjectKey(userId, declared.kind, randomBytes(OBJECT_KEY_NONCE_BYTES)),
      createdAt: new Date(),
      uploadedAt: null,
    };
    await deps.store.documents.insert(document, ctx);
    const upload = await deps.files.presignPut(document.objectKey, {
      contentType: document.contentType,
      contentLength: document.sizeBytes,
      expiresInS: deps.uploadUrlTtlS,
    });
    return { document: await viewDocument(document, deps), upload };
  };
}
