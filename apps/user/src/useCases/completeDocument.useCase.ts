import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { assertIsUser } from '../domain/accessPolicy.js';
import { assertUploadMatches } from '../domain/documentRules.js';
import { DocumentNotFound } from '../domain/errors.js';
import { statusAfterUpload } from '../domain/verificationRules.js';
import type { FileStorage } from '../ports/fileStorage.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewDocument, type DocumentView, type ViewDeps } from './views.js';

export interface CompleteDocumentInput {
  userId: string;
  documentId: string;
}

/**
 * Marks a document uploaded once storage holds exactly what was declared. An avatar becomes
 * the profile's avatar; a driver's licence plus national id make the driver pending.
 */
export function makeCompleteDocument(deps: { store: UserStore; files: FileStorage } & ViewDeps) {
  return async (ctx: RequestContext, input: CompleteDocumentInput): Promise<DocumentView> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertIsUser(caller, userId);
    const found = isUuid(input.documentId) ? await deps.store.documents.findOwned(input.documentId, userId, ctx) : null;
    if (!found) throw new DocumentNotFound(input.documentId);
    if (found.status === 'uploaded') return viewDocument(found, deps);

    assertUploadMatches(found, await deps.files.head(found.objectKey));

    const completed = await deps.store.transaction(async (unit) => {
      // Locking the profile serialises a user's completions, so two documents finished at
      // once still see each other when deciding whether the driver is now pending.
      const profile = await unit.profiles.findByIdForUpdate(userId);
      const document = await unit.documents.findOwned(found.id, userId);
      if (!profile || !document) throw new DocumentNotFound(input.documentId);
      if (document.status === 'uploaded') return document;
      const uploaded = await unit.documents.markUploaded(document.id, new Date());
      const status = statusAfterUpload(profile, await unit.documents.uploadedKinds(userId));
      const changes = {
        ...(uploaded.kind === 'avatar' ? { avatarDocumentId: uploaded.id } : {}),
        ...(status !== profile.verificationStatus ? { verificationStatus: status } : {}),
      };
      if (Object.keys(changes).length > 0) await unit.profiles.update(userId, changes, uploaded.uploadedAt ?? new Date());
      return uploaded;
    }, ctx);
    return viewDocument(completed, deps);
  };
}
