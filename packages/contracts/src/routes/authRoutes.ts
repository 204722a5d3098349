import { AuthSession, AuthUser, LoginBody, RefreshBody, RegisterBody, TokenPair } from '../auth.js';
import { IdempotencyHeaders } from '../common.js';
import { defineRoute } from '../routeDescriptor.js';

export const authRoutes = {
  register: defineRoute({
    operationId: 'register',
    method: 'POST',
    path: '/auth/register',
    summary: 'Create a passenger or driver account and sign in',
    tags: ['auth'],
    auth: 'public',
    idempotencyKey: 'optional',
    headers: IdempotencyHeaders,
    body: RegisterBody,
    responses: { 201: AuthSession },
    errors: ['EMAIL_TAKEN', 'IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED'],
  }),
  login: defineRoute({
    operationId: 'login',
    method: 'POST',
    path: '/auth/login',
    summary: 'Sign in with email and password',
    tags: ['auth'],
    auth: 'public',
    body: LoginBody,
    responses: { 200: AuthSession },
    errors: ['INVALID_CREDENTIALS'],
  }),
  refresh: defineRoute({
    operationId: 'refreshTokens',
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The presented refresh token is spent. Presenting a spent one again revokes the whole session (token theft).',
    tags: ['auth'],
    auth: 'public',
    body: RefreshBody,
    responses: { 200: TokenPair },
    errors: ['TOKEN_INVALID', 'TOKEN_EXPIRED', 'SESSION_REVOKED'],
  }),
  logout: defineRoute({
    operationId: 'logout',
    method: 'POST',
    path: '/auth/logout',
    summary: 'End this session: its access and refresh tokens stop working at once',
    tags: ['auth'],
    auth: 'signed-in',
    responses: { 204: null },
    errors: [],
  }),
  me: defineRoute({
    operationId: 'getAuthMe',
    method: 'GET',
    path: '/auth/me',
    summary: 'Who the access token belongs to',
    tags: ['auth'],
    auth: 'signed-in',
    responses: { 200: AuthUser },
    errors: [],
  }),
};
