import { z } from 'zod';
import { Id, Role, text } from './common.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** Emails compare case-insensitively, so they are stored and looked up trimmed and lowercased. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .check(z.email({ error: 'must be a valid email address' }))
  .meta({ description: 'Email address (trimmed and lowercased)', example: 'an.nguyen@example.com' });

const CHARACTER_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/** Length matters most; two character classes only rule out the weakest choices like `aaaaaaaaaa` or digits only. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` })
  .refine((value) => CHARACTER_CLASSES.filter((pattern) => pattern.test(value)).length >= 2, {
    error: 'must mix at least two of: lowercase letters, uppercase letters, digits, symbols',
  })
  .meta({
    description: `${PASSWORD_MIN_LENGTH}..${PASSWORD_MAX_LENGTH} characters mixing at least two of lowercase, uppercase, digits, symbols`,
    example: 'correct-Horse-42',
  });

/** Login accepts any stored password; the policy applies only when one is chosen. */
const ExistingPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const FullName = text({ max: 100 }).meta({ example: 'Nguyễn Văn An' });

/** Local (0901234567) or international (+84901234567) digits, no separators. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{8,15}$/, { error: 'must be 8 to 15 digits, optionally starting with +' })
  .meta({ example: '+84901234567' });

export const RegisterRole = z
  .enum(['passenger', 'driver'])
  .meta({ description: 'Admins are not self-registered' });

export const RegisterBody = z.strictObject({
  email: Email,
  password: NewPassword,
  fullName: FullName,
  phone: Phone.optional(),
  role: RegisterRole,
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.strictObject({ email: Email, password: ExistingPassword });
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(4096) });
export type RefreshBody = z.infer<typeof RefreshBody>;

/** The signed-in caller as the auth service knows them (`GET /auth/me`). */
export const AuthUser = z.object({ id: Id, email: z.string(), role: Role, fullName: z.string() });
export type AuthUser = z.infer<typeof AuthUser>;

export const TokenPair = z.object({
  accessToken: z.string().meta({ description: 'JWT for `Authorization: Bearer …`' }),
  refreshToken: z.string().meta({ description: 'Single use: each refresh returns a new one' }),
  expiresIn: z.number().int().positive().meta({ description: 'Access token lifetime in seconds', example: 900 }),
  tokenType: z.literal('Bearer'),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const AuthSession = TokenPair.extend({ user: AuthUser });
export type AuthSession = z.infer<typeof AuthSession>;
