import type { Role, VerificationDecision, VerificationStatus } from '@uitgo/contracts';

export type { Role, VerificationDecision, VerificationStatus };

export interface Profile {
  id: string;
  email: string;
  role: Role;
  fullName: string;
  phone: string | null;
  avatarDocumentId: string | null;
  /** Storage key of the avatar, read alongside the profile so its URL can be signed. */
  avatarObjectKey: string | null;
  verificationStatus: VerificationStatus;
  /** The latest decision's reason while the status is `rejected` (shown to the user), else null. */
  verificationReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewProfile = Omit<Profile, 'avatarDocumentId' | 'avatarObjectKey' | 'verificationStatus' | 'verificationReason' | 'updatedAt'>;

export interface ProfileChanges {
  fullName?: string;
  phone?: string | null;
  avatarDocumentId?: string;
  verificationStatus?: VerificationStatus;
}

export interface VerificationDecisionRecord {
  id: string;
  userId: string;
  adminId: string;
  decision: VerificationDecision;
  reason: string | null;
  decidedAt: Date;
}
