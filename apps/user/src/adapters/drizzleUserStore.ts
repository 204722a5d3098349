import { topicOf, type UitgoEvent } from '@uitgo/contracts';
import { enqueueEvents, runOnce } from '@uitgo/kit/outbox';
import type { RequestContext } from '@uitgo/kit';
import { tracedDb, type Db, type DbOrTx } from '@uitgo/kit/sql';
import * as schema from '../db/schema.js';
import type { Repositories, UnitOfWork, UserStore } from '../ports/userStore.js';
import { DrizzleDocumentRepository } from './drizzleDocumentRepository.js';
import { DrizzleProfileRepository } from './drizzleProfileRepository.js';
import { DrizzleVerificationDecisionRepository } from './drizzleVerificationDecisionRepository.js';

type Schema = typeof schema;

const repositories = (db: DbOrTx<Schema>): Repositories => ({
  profiles: new DrizzleProfileRepository(db),
  documents: new DrizzleDocumentRepository(db),
  decisions: new DrizzleVerificationDecisionRepository(db),
});

/**
 * The users-db over drizzle (postgres.js or PGlite). Events queued in a transaction go to the
 * outbox table; `onEventsCommitted` (the relay's `notify`) runs once they are committed.
 */
export class DrizzleUserStore implements UserStore {
  readonly profiles;
  readonly documents;
  readonly decisions;

  constructor(
    private readonly db: Db<Schema>,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {
    ({ profiles: this.profiles, documents: this.documents, decisions: this.decisions } = repositories(db));
  }

  async transaction<T>(work: (unit: UnitOfWork) => Promise<T>, context?: RequestContext): Promise<T> {
    let queued = false;
    const result = await tracedDb(this.db, context).transaction(async (tx) => {
      const unit: UnitOfWork = {
        ...repositories(tx),
        async publish(events: readonly UitgoEvent[]) {
          // One insert per event keeps their order whatever topics they go to.
          for (const event of events) await enqueueEvents(tx, schema.outbox, topicOf(event.type), [event], context);
          queued ||= events.length > 0;
        },
        firstDelivery: (consumer, eventId) => runOnce(tx, schema.processedEvents, consumer, eventId),
      };
      return work(unit);
    });
    if (queued) this.onEventsCommitted();
    return result;
  }
}
