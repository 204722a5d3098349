import type { RequestContext } from '@uitgo/kit';
import type { DocumentKind, UserDocument } from '../domain/document.js';

/** `context`, the request's, makes the queries spans of its trace (tracing on); a unit of work's repositories run in its transaction's. */
export interface DocumentRepository {
  insert(document: UserDocument, context?: RequestContext): Promise<void>;
  /** The document if it exists and belongs to `userId`; another user's id looks the same as a missing one. */
  findOwned(id: string, userId: string, context?: RequestContext): Promise<UserDocument | null>;
  markUploaded(id: string, at: Date, context?: RequestContext): Promise<UserDocument>;
  /** Newest first. */
  listByUser(userId: string, context?: RequestContext): Promise<UserDocument[]>;
  uploadedKinds(userId: string, context?: RequestContext): Promise<Set<DocumentKind>>;
}
