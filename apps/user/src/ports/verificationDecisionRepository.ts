import type { VerificationDecisionRecord } from '../domain/profile.js';

export interface VerificationDecisionRepository {
  append(record: VerificationDecisionRecord): Promise<void>;
  latestFor(userId: string): Promise<VerificationDecisionRecord | null>;
}
