import { routes, userAdminRoutes } from '@uitgo/contracts';
import type { GatewayClients } from '../clients.js';
import type { RouteRegistrar } from '../http/registerRoute.js';
import { protoDecision, protoDocumentKind, protoRole, protoVerificationStatus } from '../mappers/protoValues.js';
import { toCreatedDocument, toDocument, toUserPage, toUserProfile, toVerificationDecisionPage } from '../mappers/userMappers.js';
import { common, user as proto } from '@uitgo/grpc';

export function registerUserRoutes(route: RouteRegistrar, { user }: GatewayClients): void {
  route(routes.getMyProfile, async ({ caller, context }) => toUserProfile((await user.getProfile({ userId: caller.userId }, { context })).profile));

  route(routes.updateMyProfile, async ({ caller, body, context }) =>
    toUserProfile(
      (
        await user.updateProfile({
          userId: caller.userId,
          ...(body.fullName !== undefined ? { fullName: body.fullName } : {}),
          // The proto removes the phone when it is set but empty.
          ...(body.phone !== undefined ? { phone: body.phone ?? '' } : {}),
        }, { context })
      ).profile,
    ),
  );

  route(routes.createDocument, async ({ caller, body, context }) =>
    toCreatedDocument(
      await user.createDocument({
        userId: caller.userId,
        kind: protoDocumentKind(body.kind),
        contentType: body.contentType,
        sizeBytes: body.sizeBytes,
      }, { context }),
    ),
  );

  route(routes.completeDocument, async ({ caller, params, context }) =>
    toDocument((await user.completeDocument({ userId: caller.userId, documentId: params.id }, { context })).document),
  );

  route(routes.listMyDocuments, async ({ caller, context }) => ({
    items: (await user.listDocuments({ userId: caller.userId }, { context })).documents.map(toDocument),
  }));

  route(routes.listUsers, async ({ query, context }) =>
    toUserPage(
      await user.listProfiles({
        role: query.role ? protoRole(query.role) : common.Role.ROLE_UNSPECIFIED,
        verificationStatus: query.verificationStatus
          ? protoVerificationStatus(query.verificationStatus)
          : proto.VerificationStatus.VERIFICATION_STATUS_UNSPECIFIED,
        pageSize: query.limit,
        pageToken: query.cursor ?? '',
      }, { context }),
    ),
  );

  route(routes.getUser, async ({ params, context }) => toUserProfile((await user.getProfile({ userId: params.id }, { context })).profile));

  route(routes.decideVerification, async ({ caller, params, body, context }) =>
    toUserProfile(
      (
        await user.decideVerification({
          userId: params.id,
          decision: protoDecision(body.decision),
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          adminId: caller.userId,
        }, { context })
      ).profile,
    ),
  );

  route(userAdminRoutes.listUserDocuments, async ({ params, context }) => ({
    items: (await user.listDocuments({ userId: params.id }, { context })).documents.map(toDocument),
  }));

  route(userAdminRoutes.listVerificationDecisions, async ({ params, query, context }) =>
    toVerificationDecisionPage(
      await user.listVerificationDecisions({ userId: params.id, pageSize: query.limit, pageToken: query.cursor ?? '' }, { context }),
    ),
  );
}
