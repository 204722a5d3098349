import { topicOf, type UitgoEvent } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { enqueueEvents } from '@uitgo/kit/outbox';
import { tracedDb } from '@uitgo/kit/sql';
import { eq, sql } from 'drizzle-orm';
import type { AuthDb } from '../db/authDb.js';
import { outbox, users } from '../db/schema.js';
import { EmailTaken } from '../domain/errors.js';
import type { UserAccount, UserRepository } from '../ports/userRepository.js';
import { isUniqueViolation } from './uniqueViolation.js';

export class DrizzleUserRepository implements UserRepository {
  constructor(
    private readonly db: AuthDb,
    /** Wakes the outbox relay once events are committed. */
    private readonly eventsCommitted: () => void,
  ) {}

  async findById(id: string, context?: RequestContext): Promise<UserAccount | undefined> {
    const [row] = await tracedDb(this.db, context).select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  }

  async findByEmail(email: string, context?: RequestContext): Promise<UserAccount | undefined> {
    const [row] = await tracedDb(this.db, context)
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
      .limit(1);
    return row;
  }

  async create(user: UserAccount, events: readonly UitgoEvent[], context?: RequestContext): Promise<void> {
    try {
      await tracedDb(this.db, context).transaction(async (tx) => {
        await tx.insert(users).values({ ...user, email: user.email.toLowerCase() });
        for (const event of events) await enqueueEvents(tx, outbox, topicOf(event.type), [event], context);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_lower_unique')) throw new EmailTaken();
      throw err;
    }
    if (events.length > 0) this.eventsCommitted();
  }

  async updatePasswordHash(id: string, passwordHash: string, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async updateContact(id: string, contact: { fullName: string; phone: string | null }, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).update(users).set({ fullName: contact.fullName, phone: contact.phone }).where(eq(users.id, id));
  }
}
