import { z } from 'zod';
import { FullName, Phone } from './auth.js';
import { Id, PageQuery, Role, Timestamp, page, text } from './common.js';

export const VerificationStatus = z
  .enum(['unverified', 'pending', 'verified', 'rejected'])
  .meta({ description: 'pending: documents uploaded and awaiting an admin decision' });
export type VerificationStatus = z.infer<typeof VerificationStatus>;

export const UserProfile = z.object({
  id: Id,
  email: z.string(),
  role: Role,
  fullName: z.string(),
  phone: z.string().nullable(),
  avatarUrl: z.url().nullable().meta({ description: 'Short-lived signed URL of the avatar, if any' }),
  verificationStatus: VerificationStatus,
  verificationReason: z
    .string()
    .nullable()
    .meta({ description: 'Why an admin rejected the documents (the latest decision\'s reason); null unless `verificationStatus` is rejected' }),
  createdAt: Timestamp,
});
export type UserProfile = z.infer<typeof UserProfile>;

export const UpdateProfileBody = z
  .strictObject({ fullName: FullName.optional(), phone: Phone.nullable().optional() })
  .meta({ description: 'Fields to change; `phone: null` removes the phone number' });
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const ListUsersQuery = PageQuery.extend({
  role: Role.optional(),
  verificationStatus: VerificationStatus.optional(),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const UserPage = page(UserProfile);
export type UserPage = z.infer<typeof UserPage>;

export const VerificationDecision = z.enum(['verified', 'rejected']);
export type VerificationDecision = z.infer<typeof VerificationDecision>;

export const VerificationBody = z.strictObject({
  decision: VerificationDecision,
  reason: text({ max: 500, multiline: true }).optional().meta({ description: 'Shown to the user, e.g. why documents were rejected' }),
});
export type VerificationBody = z.infer<typeof VerificationBody>;

export const VerificationDecisionRecord = z
  .object({
    id: Id,
    decision: VerificationDecision,
    reason: z.string().nullable().meta({ description: 'As given by the admin; always set for rejections' }),
    decidedBy: Id.meta({ description: 'The admin who decided' }),
    decidedAt: Timestamp,
  })
  .meta({ description: 'One admin decision on a user\'s verification, as recorded for audit' });
export type VerificationDecisionRecord = z.infer<typeof VerificationDecisionRecord>;

export const VerificationDecisionPage = page(VerificationDecisionRecord).meta({ description: 'Newest first' });
export type VerificationDecisionPage = z.infer<typeof VerificationDecisionPage>;
