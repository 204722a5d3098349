import { z } from 'zod';
import { Id, Timestamp, list } from './common.js';

export const DOCUMENT_KINDS = ['avatar', 'driver_license', 'national_id', 'vehicle_registration'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png'] as const;
export const DOCUMENT_CONTENT_TYPES = [...IMAGE_CONTENT_TYPES, 'application/pdf'] as const;
export const DocumentContentType = z.enum(DOCUMENT_CONTENT_TYPES);
export type DocumentContentType = z.infer<typeof DocumentContentType>;

const MB = 1024 * 1024;
export const AVATAR_MAX_BYTES = 5 * MB;
export const DOCUMENT_MAX_BYTES = 10 * MB;

export interface DocumentKindRule {
  maxBytes: number;
  contentTypes: readonly DocumentContentType[];
}

/** Avatars are shown in apps, so images only; identity papers may be scanned to PDF. */
export const DOCUMENT_RULES: Readonly<Record<DocumentKind, DocumentKindRule>> = {
  avatar: { maxBytes: AVATAR_MAX_BYTES, contentTypes: IMAGE_CONTENT_TYPES },
  driver_license: { maxBytes: DOCUMENT_MAX_BYTES, contentTypes: DOCUMENT_CONTENT_TYPES },
  national_id: { maxBytes: DOCUMENT_MAX_BYTES, contentTypes: DOCUMENT_CONTENT_TYPES },
  vehicle_registration: { maxBytes: DOCUMENT_MAX_BYTES, contentTypes: DOCUMENT_CONTENT_TYPES },
};

export const DocumentStatus = z
  .enum(['awaiting_upload', 'uploaded'])
  .meta({ description: 'uploaded once the object is confirmed in storage' });
export type DocumentStatus = z.infer<typeof DocumentStatus>;

export const CreateDocumentBody = z
  .strictObject({
    kind: DocumentKind,
    contentType: DocumentContentType,
    sizeBytes: z.number().int().positive().max(DOCUMENT_MAX_BYTES).meta({ description: 'Exact size of the file to upload' }),
  })
  .superRefine((body, ctx) => {
    const rule = DOCUMENT_RULES[body.kind];
    if (!rule.contentTypes.includes(body.contentType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contentType'],
        message: `${body.kind} must be one of ${rule.contentTypes.join(', ')}`,
      });
    }
    if (body.sizeBytes > rule.maxBytes) {
      ctx.addIssue({ code: 'custom', path: ['sizeBytes'], message: `${body.kind} must be at most ${rule.maxBytes} bytes` });
    }
  })
  .meta({ description: 'avatar: JPEG/PNG up to 5 MB; other kinds: JPEG/PNG/PDF up to 10 MB' });
export type CreateDocumentBody = z.infer<typeof CreateDocumentBody>;

export const Document = z.object({
  id: Id,
  kind: DocumentKind,
  status: DocumentStatus,
  contentType: DocumentContentType,
  sizeBytes: z.number().int(),
  downloadUrl: z.url().nullable().meta({ description: 'Short-lived signed URL; null until uploaded' }),
  createdAt: Timestamp,
});
export type Document = z.infer<typeof Document>;

export const UploadInstructions = z
  .object({
    url: z.url(),
    method: z.enum(['PUT', 'POST']),
    headers: z.record(z.string(), z.string()).optional().meta({ description: 'Send with a PUT upload' }),
    fields: z.record(z.string(), z.string()).optional().meta({ description: 'Form fields of a POST upload, before the file' }),
    expiresAt: Timestamp,
  })
  .meta({ description: 'Upload the file straight to storage, then call `…/complete`' });
export type UploadInstructions = z.infer<typeof UploadInstructions>;

export const CreateDocumentResponse = z.object({ document: Document, upload: UploadInstructions });
export type CreateDocumentResponse = z.infer<typeof CreateDocumentResponse>;

export const DocumentList = list(Document);
export type DocumentList = z.infer<typeof DocumentList>;
