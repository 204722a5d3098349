import type { user } from '@uitgo/grpc';
import type { UserUseCases } from '../useCases/index.js';
import {
  decisionFromProto,
  documentKindFromProto,
  documentToProto,
  profileToProto,
  roleFromProto,
  uploadToProto,
  verificationStatusFromProto,
  verificationStatusToProto,
} from './protoMapping.js';

/** uitgo.user.v1.UserService: decode, call the use-case, encode. Decisions live in the use-cases. */
export function userGrpc(useCases: UserUseCases): user.UserServiceImplementation {
  return {
    async createProfile(request) {
      const profile = await useCases.createProfile({
        userId: request.userId,
        email: request.email,
        role: roleFromProto(request.role),
        fullName: request.fullName,
        phone: request.phone || null,
      });
      return { profile: profileToProto(profile) };
    },
    async getProfile(request) {
      return { profile: profileToProto(await useCases.getProfile({ userId: request.userId })) };
    },
    async updateProfile(request) {
      const profile = await useCases.updateProfile({
        userId: request.userId,
        fullName: request.fullName,
        // Proto3 cannot carry null: an empty phone means "remove it".
        phone: request.phone === undefined ? undefined : request.phone || null,
      });
      return { profile: profileToProto(profile) };
    },
    async listProfiles(request) {
      const page = await useCases.listProfiles({
        role: roleFromProto(request.role),
        verificationStatus: verificationStatusFromProto(request.verificationStatus),
        limit: request.pageSize,
        cursor: request.pageToken,
      });
      return { profiles: page.items.map(profileToProto), nextPageToken: page.nextCursor ?? '' };
    },
    async createDocument(request) {
      const created = await useCases.createDocument({
        userId: request.userId,
        kind: documentKindFromProto(request.kind),
        contentType: request.contentType,
        sizeBytes: request.sizeBytes,
      });
      return { document: documentToProto(created.document), upload: uploadToProto(created.upload) };
    },
    async completeDocument(request) {
      const document = await useCases.completeDocument({ userId: request.userId, documentId: request.documentId });
      return { document: documentToProto(document) };
    },
    async listDocuments(request) {
      const documents = await useCases.listDocuments({ userId: request.userId });
      return { documents: documents.map(documentToProto) };
    },
    async decideVerification(request) {
      const profile = await useCases.decideVerification({
        userId: request.userId,
        decision: decisionFromProto(request.decision),
        reason: request.reason ?? null,
        adminId: request.adminId,
      });
      return { profile: profileToProto(profile) };
    },
    async getVerificationStatus(request) {
      const standing = await useCases.getVerificationStatus({ userId: request.userId });
      return {
        status: verificationStatusToProto(standing.status),
        reason: standing.reason ?? undefined,
        decideTime: standing.decidedAt ?? undefined,
      };
    },
  };
}
