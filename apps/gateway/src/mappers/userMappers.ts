import type {
  CreateDocumentResponse,
  Document,
  DocumentContentType,
  UploadInstructions,
  UserPage,
  UserProfile,
  VerificationDecisionPage,
  VerificationDecisionRecord,
} from '@uitgo/contracts';
import type { user } from '@uitgo/grpc';
import { decisionOf, documentKindOf, documentStatusOf, isoOf, required, roleOf, verificationStatusOf } from './protoValues.js';

export const toUserProfile = (profile: user.Profile | undefined): UserProfile => {
  const p = required(profile, 'the profile');
  return {
    id: p.id,
    email: p.email,
    role: roleOf(p.role),
    fullName: p.fullName,
    phone: p.phone || null,
    avatarUrl: p.avatarUrl || null,
    verificationStatus: verificationStatusOf(p.verificationStatus),
    verificationReason: p.verificationReason || null,
    createdAt: isoOf(p.createTime, 'the profile creation time'),
  };
};

export const toUserPage = (answer: user.ListProfilesResponse): UserPage => ({
  items: answer.profiles.map(toUserProfile),
  nextCursor: answer.nextPageToken || null,
});

export const toVerificationDecision = (record: user.VerificationDecisionRecord): VerificationDecisionRecord => ({
  id: record.id,
  decision: decisionOf(record.decision),
  reason: record.reason || null,
  decidedBy: record.adminId,
  decidedAt: isoOf(record.decideTime, 'the decision time'),
});

export const toVerificationDecisionPage = (answer: user.ListVerificationDecisionsResponse): VerificationDecisionPage => ({
  items: answer.decisions.map(toVerificationDecision),
  nextCursor: answer.nextPageToken || null,
});

export const toDocument = (document: user.Document | undefined): Document => {
  const d = required(document, 'the document');
  return {
    id: d.id,
    kind: documentKindOf(d.kind),
    status: documentStatusOf(d.status),
    // The service accepts only the contract's content types.
    contentType: d.contentType as DocumentContentType,
    sizeBytes: d.sizeBytes,
    downloadUrl: d.downloadUrl || null,
    createdAt: isoOf(d.createTime, 'the document creation time'),
  };
};

const hasEntries = (record: Record<string, string>) => Object.keys(record).length > 0;

export const toUploadInstructions = (upload: user.PresignedUpload | undefined): UploadInstructions => {
  const u = required(upload, 'the upload');
  return {
    url: u.url,
    method: u.method === 'POST' ? 'POST' : 'PUT',
    ...(hasEntries(u.headers) ? { headers: u.headers } : {}),
    ...(hasEntries(u.fields) ? { fields: u.fields } : {}),
    expiresAt: isoOf(u.expireTime, 'the upload expiry'),
  };
};

export const toCreatedDocument = (answer: user.CreateDocumentResponse): CreateDocumentResponse => ({
  document: toDocument(answer.document),
  upload: toUploadInstructions(answer.upload),
});
