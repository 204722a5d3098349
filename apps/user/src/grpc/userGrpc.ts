import { requestContextOf } from '@uitgo/kit';
import type { user } from '@uitgo/grpc';
import type { CallContext } from 'nice-grpc-common';
import type { UserUseCases } from '../useCases/index.js';
import {
  decisionFromProto,
  decisionRecordToProto,
  documentKindFromProto,
  documentToProto,
  profileToProto,
  roleFromProto,
  uploadToProto,
  verificationStatusFromProto,
  verificationStatusToProto,
} from './protoMapping.js';

const ctxOf = (context: CallContext) => requestContextOf(context);

/** uitgo.user.v1.UserService: decode, call the use-case, encode. Decisions live in the use-cases. */
export function userGrpc(useCases: UserUseCases): user.UserServiceImplementation {
  return {
    async createProfile(request, context) {
      const profile = await useCases.createProfile(ctxOf(context), {
        userId: request.userId,
        email: request.email,
        role: roleFromProto(request.role),
        fullName: request.fullName,
        phone: request.phone || null,
      });
      return { profile: profileToProto(profile) };
    },
    async getProfile(request, context) {
      return { profile: profileToProto(await useCases.getProfile(ctxOf(context), { userId: request.userId })) };
    },
    async updateProfile(request, context) {
      const profile = await useCases.updateProfile(ctxOf(context), {
        userId: request.userId,
        fullName: request.fullName,
        // Proto3 cannot carry null: an empty phone means "remove it".
        phone: request.phone === undefined ? undefined : request.phone || null,
      });
      return { profile: profileToProto(profile) };
    },
    async listProfiles(request, context) {
      const page = await useCases.listProfiles(ctxOf(context), {
        role: roleFromProto(request.role),
        verificationStatus: verificationStatusFromProto(request.verificationStatus),
        limit: request.pageSize,
        cursor: request.pageToken,
      });
      return { profiles: page.items.map(profileToProto), nextPageToken: page.nextCursor ?? '' };
    },
    async createDocument(request, context) {
      const created = await useCases.createDocument(ctxOf(context), {
        userId: request.userId,
        kind: documentKindFromProto(request.kind),
        contentType: request.contentType,
        sizeBytes: request.sizeBytes,
      });
      return { document: documentToProto(created.document), upload: uploadToProto(created.upload) };
    },
    async completeDocument(request, context) {
      const document = await useCases.completeDocument(ctxOf(context), { userId: request.userId, documentId: request.documentId });
      return { document: documentToProto(document) };
    },
    async listDocuments(request, context) {
      const documents = await useCases.listDocuments(ctxOf(context), { userId: request.userId });
      return { documents: documents.map(documentToProto) };
    },
    async decideVerification(request, context) {
      const profile = await useCases.decideVerification(ctxOf(context), {
        userId: request.userId,
        decision: decisionFromProto(request.decision),
        reason: request.reason ?? null,
        adminId: request.adminId,
      });
      return { profile: profileToProto(profile) };
    },
    async getVerificationStatus(request, context) {
      const standing = await useCases.getVerificationStatus(ctxOf(context), { userId: request.userId });
      return {
        status: verificationStatusToProto(standing.status),
        reason: standing.reason ?? undefined,
        decideTime: standing.decidedAt ?? undefined,
      };
    },
    async listVerificationDecisions(request, context) {
      const page = await useCases.listVerificationDecisions(ctxOf(context), {
        userId: request.userId,
        limit: request.pageSize,
        cursor: request.pageToken,
      });
      return { decisions: page.items.map(decisionRecordToProto), nextPageToken: page.nextCursor ?? '' };
    },
  };
}
