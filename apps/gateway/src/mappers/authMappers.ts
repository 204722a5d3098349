import type { AuthSession, AuthUser, TokenPair } from '@uitgo/contracts';
import type { auth } from '@uitgo/grpc';
import { required, roleOf } from './protoValues.js';

export const toAuthUser = (user: auth.User | undefined): AuthUser => {
  const u = required(user, 'the user');
  return { id: u.id, email: u.email, role: roleOf(u.role), fullName: u.fullName };
};

export const toTokenPair = (tokens: auth.TokenPair | undefined): TokenPair => {
  const t = required(tokens, 'the tokens');
  return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresIn: t.expiresInSeconds, tokenType: 'Bearer' };
};

export const toAuthSession = (answer: { user?: auth.User | undefined; tokens?: auth.TokenPair | undefined }): AuthSession => ({
  user: toAuthUser(answer.user),
  ...toTokenPair(answer.tokens),
});
