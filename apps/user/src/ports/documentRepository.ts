import type { DocumentKind, UserDocument } from '../domain/document.js';

export interface DocumentRepository {
  insert(document: UserDocument): Promise<void>;
  /** The document if it exists and belongs to `userId`; another user's id looks the same as a missing one. */
  findOwned(id: string, userId: string): Promise<UserDocument | null>;
  markUploaded(id: string, at: Date): Promise<UserDocument>;
  /** Newest first. */
  listByUser(userId: string): Promise<UserDocument[]>;
  uploadedKinds(userId: string): Promise<Set<DocumentKind>>;
}
