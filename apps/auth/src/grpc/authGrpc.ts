import { requestContextOf } from '@uitgo/kit';
import type { auth } from '@uitgo/grpc';
import { authorizeRequest } from '../useCases/authorizeRequest.useCase.js';
import { getJwks } from '../useCases/getJwks.useCase.js';
import { getMe } from '../useCases/getMe.useCase.js';
import { login, type LoginDeps } from '../useCases/login.useCase.js';
import { logout } from '../useCases/logout.useCase.js';
import { refresh, type RefreshDeps } from '../useCases/refresh.useCase.js';
import { register, type RegisterDeps } from '../useCases/register.useCase.js';
import { rotateSigningKey, type RotateSigningKeyDeps } from '../useCases/rotateSigningKey.useCase.js';
import { validateToken } from '../useCases/validateToken.useCase.js';
import { denialReasonMessage, jwkMessage, tokenPairMessage, userMessage } from './authMessages.js';
import { roleFromProto, roleToProto } from './roleMapping.js';

export type AuthGrpcDeps = RegisterDeps & LoginDeps & RefreshDeps & RotateSigningKeyDeps;

/** uitgo.auth.v1.AuthService: decode, call the use-case, encode. */
export function authGrpc(deps: AuthGrpcDeps): auth.AuthServiceImplementation {
  return {
    async register(req, context) {
      const role = roleFromProto(req.role) ?? 'unspecified';
      const { user, tokens } = await register(deps, { ...req, role }, requestContextOf(context), context.signal);
      return { user: userMessage(user), tokens: tokenPairMessage(tokens) };
    },

    async login(req, context) {
      const input = { email: req.email, password: req.password, clientIp: req.clientIp };
      const { user, tokens } = await login(deps, input, requestContextOf(context), context.signal);
      return { user: userMessage(user), tokens: tokenPairMessage(tokens) };
    },

    async refresh(req, context) {
      return { tokens: tokenPairMessage(await refresh(deps, req.refreshToken, requestContextOf(context))) };
    },

    async logout(_req, context) {
      const ctx = requestContextOf(context);
      await logout(deps, ctx.caller, ctx);
      return {};
    },

    async validateToken(req, context) {
      const valid = await validateToken(deps, req.accessToken, requestContextOf(context));
      return {
        subject: valid.subject,
        role: roleToProto(valid.role),
        sessionId: valid.sessionId,
        expireTime: valid.expiresAt,
        email: valid.email,
      };
    },

    async authorizeRequest(req) {
      const decision = authorizeRequest({
        subject: req.subject,
        role: roleFromProto(req.role),
        permission: req.permission,
        allowedRoles: req.allowedRoles.map(roleFromProto),
        resourceOwnerId: req.resourceOwnerId,
      });
      return decision.allowed
        ? { allowed: true }
        : { allowed: false, denialReason: denialReasonMessage(decision.reason), message: decision.message };
    },

    async getJwks(_req, context) {
      return { keys: (await getJwks(deps, requestContextOf(context))).map(jwkMessage) };
    },

    async getMe(_req, context) {
      const ctx = requestContextOf(context);
      return { user: userMessage(await getMe(deps, ctx.caller, ctx)) };
    },

    async rotateSigningKeys(_req, context) {
      const ctx = requestContextOf(context);
      const rotation = await rotateSigningKey(deps, ctx.caller, ctx);
      return { activeKid: rotation.activeKid, previousKeysRetireTime: rotation.previousKeysRetireAt };
    },
  };
}
