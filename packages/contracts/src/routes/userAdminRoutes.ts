import { IdParams, PageQuery } from '../common.js';
import { DocumentList } from '../documents.js';
import { defineRoute, type RouteDescriptor } from '../routeDescriptor.js';
import { VerificationDecisionPage } from '../users.js';

/**
 * Admin review routes beyond API.md's tables (so not in `routes`, which mirrors API.md exactly,
 * like `driverAdminRoutes`): what an admin reads before and after deciding a verification.
 */
export const userAdminRoutes = {
  listUserDocuments: defineRoute({
    operationId: 'listUserDocuments',
    method: 'GET',
    path: '/users/:id/documents',
    summary: 'A user\'s documents with download links, to review before deciding',
    description: 'The same items as `GET /users/me/documents`, newest first.',
    tags: ['documents'],
    auth: ['admin'],
    params: IdParams,
    responses: { 200: DocumentList },
    errors: ['USER_NOT_FOUND'],
  }),
  listVerificationDecisions: defineRoute({
    operationId: 'listVerificationDecisions',
    method: 'GET',
    path: '/users/:id/verification-decisions',
    summary: 'The audit trail of verification decisions on a user, newest first',
    tags: ['users'],
    auth: ['admin'],
    params: IdParams,
    query: PageQuery,
    responses: { 200: VerificationDecisionPage },
    errors: ['USER_NOT_FOUND'],
  }),
};

export const userAdminRouteList: readonly RouteDescriptor[] = Object.values(userAdminRoutes);
