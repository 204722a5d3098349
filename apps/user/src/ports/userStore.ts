import type { UitgoEvent } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import type { DocumentRepository } from './documentRepository.js';
import type { ProfileRepository } from './profileRepository.js';
import type { VerificationDecisionRepository } from './verificationDecisionRepository.js';

export interface Repositories {
  profiles: ProfileRepository;
  documents: DocumentRepository;
  decisions: VerificationDecisionRepository;
}

export interface UnitOfWork extends Repositories {
  /** Queues events in the outbox; they exist exactly when the transaction commits. */
  publish(events: readonly UitgoEvent[]): Promise<void>;
  /** Records that `consumer` applied `eventId`; false when it already had (a redelivery). */
  firstDelivery(consumer: string, eventId: string): Promise<boolean>;
}

/** The users-db: plain repositories for reads, and one transaction for each change. */
export interface UserStore extends Repositories {
  /** `context` is the request's: the transaction and its statements are spans of its trace (tracing on). */
  transaction<T>(work: (unit: UnitOfWork) => Promise<T>, context?: RequestContext): Promise<T>;
}
