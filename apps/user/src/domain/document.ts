import type { DocumentContentType, DocumentKind, DocumentStatus } from '@uitgo/contracts';

export type { DocumentContentType, DocumentKind, DocumentStatus };

export interface UserDocument {
  id: string;
  userId: string;
  kind: DocumentKind;
  status: DocumentStatus;
  contentType: DocumentContentType;
  sizeBytes: number;
  objectKey: string;
  createdAt: Date;
  uploadedAt: Date | null;
}
