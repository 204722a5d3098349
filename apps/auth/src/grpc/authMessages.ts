import { auth } from '@uitgo/grpc';
import type { JWK } from 'jose';
import type { DenialReason } from '../domain/permissions.js';
import type { UserAccount } from '../ports/userRepository.js';
import type { TokenPair } from '../useCases/sessionTokens.js';
import { roleToProto } from './roleMapping.js';

export const userMessage = (user: UserAccount): auth.User => ({
  id: user.id,
  email: user.email,
  role: roleToProto(user.role),
  fullName: user.fullName,
  ...(user.phone ? { phone: user.phone } : {}),
  createTime: user.createdAt,
});

export const tokenPairMessage = (tokens: TokenPair): auth.TokenPair => ({
  accessToken: tokens.accessToken,
  refreshToken: tokens.refreshToken,
  expiresInSeconds: tokens.expiresInS,
  tokenType: 'Bearer',
});

const DENIAL_REASONS: Record<DenialReason, auth.DenialReason> = {
  role_not_allowed: auth.DenialReason.DENIAL_REASON_ROLE_NOT_ALLOWED,
  permission_missing: auth.DenialReason.DENIAL_REASON_PERMISSION_MISSING,
  not_owner: auth.DenialReason.DENIAL_REASON_NOT_OWNER,
};

export const denialReasonMessage = (reason: DenialReason): auth.DenialReason => DENIAL_REASONS[reason];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export const jwkMessage = (jwk: JWK & { kid: string }): auth.Jwk => ({
  kid: jwk.kid,
  kty: text(jwk.kty),
  crv: text(jwk.crv),
  x: text(jwk.x),
  y: text(jwk.y),
  alg: text(jwk.alg),
  use: text(jwk.use) || 'sig',
});
