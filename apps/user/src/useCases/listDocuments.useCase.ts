import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { assertMayListDocuments } from '../domain/accessPolicy.js';
import { UserNotFound } from '../domain/errors.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewDocument, type DocumentView, type ViewDeps } from './views.js';

/** The owner's documents (or, for an admin reviewing a driver, anyone's), newest first, with short-lived links. */
export function makeListDocuments(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: { userId: string }): Promise<DocumentView[]> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertMayListDocuments(caller, userId);
    if (!isUuid(userId) || !(await deps.store.profiles.findById(userId, ctx))) throw new UserNotFound(userId);
    const documents = await deps.store.documents.listByUser(userId, ctx);
    return Promise.all(documents.map((document) => viewDocument(document, deps)));
  };
}
