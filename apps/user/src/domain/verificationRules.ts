import type { DocumentKind } from './document.js';
import { DocumentNotUploaded, ValidationFailed } from './errors.js';
import type { Role, VerificationDecision, VerificationStatus } from './profile.js';

/**
 * Only drivers are verified. Passengers and admins keep `unverified` for good: nothing they
 * do needs verification, and no upload or decision moves them.
 */
export const needsVerification = (role: Role): boolean => role === 'driver';

/** A driver becomes pending once both of these are uploaded. */
export const REQUIRED_DRIVER_DOCUMENTS: readonly DocumentKind[] = ['driver_license', 'national_id'];

export const REASON_MAX_LENGTH = 500;

export function missingDriverDocuments(uploaded: ReadonlySet<DocumentKind>): DocumentKind[] {
  return REQUIRED_DRIVER_DOCUMENTS.filter((kind) => !uploaded.has(kind));
}

/**
 * The status after a document upload. Unverified or rejected drivers with a licence and a
 * national id become pending; a pending or verified driver stays where they are.
 */
export function statusAfterUpload(
  profile: { role: Role; verificationStatus: VerificationStatus },
  uploaded: ReadonlySet<DocumentKind>,
): VerificationStatus {
  const current = profile.verificationStatus;
  if (!needsVerification(profile.role)) return current;
  if (current !== 'unverified' && current !== 'rejected') return current;
  return missingDriverDocuments(uploaded).length === 0 ? 'pending' : current;
}

export interface DecisionRequest {
  decision: string | null;
  reason: string | null | undefined;
}

export interface CheckedDecision {
  decision: VerificationDecision;
  reason: string | null;
}

const isDecision = (value: string | null): value is VerificationDecision => value === 'verified' || value === 'rejected';

/**
 * Checks an admin's decision. A driver can be decided once documents are in (pending), and a
 * decision can be revised later (verified <-> rejected); rejecting needs a reason.
 */
export function checkDecision(profile: { role: Role; verificationStatus: VerificationStatus }, request: DecisionRequest): CheckedDecision {
  if (!isDecision(request.decision)) throw ValidationFailed.field('decision', 'must be verified or rejected');
  const reason = request.reason?.trim() || null;
  if (reason !== null && reason.length > REASON_MAX_LENGTH) {
    throw ValidationFailed.field('reason', `must be at most ${REASON_MAX_LENGTH} characters`);
  }
  if (request.decision === 'rejected' && reason === null) throw ValidationFailed.field('reason', 'is required to reject');
  if (!needsVerification(profile.role)) {
    throw ValidationFailed.field('userId', `only drivers are verified; a ${profile.role} stays unverified`);
  }
  if (profile.verificationStatus === 'unverified') {
    throw new DocumentNotUploaded('The driver has not uploaded the documents to verify yet', { required: REQUIRED_DRIVER_DOCUMENTS });
  }
  return { decision: request.decision, reason };
}
