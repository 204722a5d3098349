import { common, user } from '@uitgo/grpc';
import type { PresignedPut } from '@uitgo/kit/objects';
import type { DocumentKind, DocumentStatus } from '../domain/document.js';
import type { Role, VerificationDecisionRecord, VerificationStatus } from '../domain/profile.js';
import type { DocumentView, ProfileView } from '../useCases/views.js';

const { Role: ProtoRole } = common;
const { VerificationStatus: ProtoStatus, DocumentKind: ProtoKind, DocumentStatus: ProtoDocumentStatus, VerificationDecision: ProtoDecision } = user;

const ROLES: Record<Role, common.Role> = {
  passenger: ProtoRole.ROLE_PASSENGER,
  driver: ProtoRole.ROLE_DRIVER,
  admin: ProtoRole.ROLE_ADMIN,
};
const STATUSES: Record<VerificationStatus, user.VerificationStatus> = {
  unverified: ProtoStatus.VERIFICATION_STATUS_UNVERIFIED,
  pending: ProtoStatus.VERIFICATION_STATUS_PENDING,
  verified: ProtoStatus.VERIFICATION_STATUS_VERIFIED,
  rejected: ProtoStatus.VERIFICATION_STATUS_REJECTED,
};
const KINDS: Record<DocumentKind, user.DocumentKind> = {
  avatar: ProtoKind.DOCUMENT_KIND_AVATAR,
  driver_license: ProtoKind.DOCUMENT_KIND_DRIVER_LICENSE,
  national_id: ProtoKind.DOCUMENT_KIND_NATIONAL_ID,
  vehicle_registration: ProtoKind.DOCUMENT_KIND_VEHICLE_REGISTRATION,
};
const DOCUMENT_STATUSES: Record<DocumentStatus, user.DocumentStatus> = {
  awaiting_upload: ProtoDocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD,
  uploaded: ProtoDocumentStatus.DOCUMENT_STATUS_UPLOADED,
};
const DECISIONS = { verified: ProtoDecision.VERIFICATION_DECISION_VERIFIED, rejected: ProtoDecision.VERIFICATION_DECISION_REJECTED };

/** The domain name of a proto enum value; null for UNSPECIFIED or an unknown number. */
function reverse<D extends string, P extends number>(table: Record<D, P>) {
  const byProto = new Map<number, D>(Object.entries(table).map(([domain, proto]) => [proto as number, domain as D]));
  return (value: number): D | null => byProto.get(value) ?? null;
}

export const roleFromProto = reverse(ROLES);
export const verificationStatusFromProto = reverse(STATUSES);
export const documentKindFromProto = reverse(KINDS);
export const decisionFromProto = reverse(DECISIONS);
export const verificationStatusToProto = (status: VerificationStatus): user.VerificationStatus => STATUSES[status];

export function profileToProto(profile: ProfileView): user.Profile {
  return {
    id: profile.id,
    email: profile.email,
    role: ROLES[profile.role],
    fullName: profile.fullName,
    phone: profile.phone ?? undefined,
    avatarUrl: profile.avatarUrl ?? undefined,
    verificationStatus: STATUSES[profile.verificationStatus],
    verificationReason: profile.verificationReason ?? undefined,
    createTime: profile.createdAt,
    updateTime: profile.updatedAt,
  };
}

export function documentToProto(document: DocumentView): user.Document {
  return {
    id: document.id,
    userId: document.userId,
    kind: KINDS[document.kind],
    status: DOCUMENT_STATUSES[document.status],
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    createTime: document.createdAt,
    uploadTime: document.uploadedAt ?? undefined,
    downloadUrl: document.downloadUrl ?? undefined,
    downloadExpireTime: document.downloadExpiresAt ?? undefined,
  };
}

export function decisionRecordToProto(record: VerificationDecisionRecord): user.VerificationDecisionRecord {
  return {
    id: record.id,
    userId: record.userId,
    decision: DECISIONS[record.decision],
    reason: record.reason ?? undefined,
    adminId: record.adminId,
    decideTime: record.decidedAt,
  };
}

export function uploadToProto(upload: PresignedPut): user.PresignedUpload {
  return { url: upload.url, method: upload.method, headers: upload.headers, fields: {}, expireTime: upload.expiresAt };
}
