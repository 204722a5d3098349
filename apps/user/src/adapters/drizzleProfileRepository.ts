import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { RequestContext } from '@uitgo/kit';
import { tracedDb, type DbOrTx } from '@uitgo/kit/sql';
import * as schema from '../db/schema.js';
import type { NewProfile, Profile, ProfileChanges } from '../domain/profile.js';
import type { ProfileFilter, ProfileRepository } from '../ports/profileRepository.js';

type Schema = typeof schema;
const { profiles, documents, verificationDecisions } = schema;

/**
 * What a rejected user is told: the reason of their latest decision (only a rejection leads to
 * `rejected`, and every rejection has a reason). Read from the audit trail rather than copied
 * onto the profile, so it cannot disagree with it; the subquery runs for rejected profiles only.
 */
const verificationReason = sql<string | null>`case when ${profiles.verificationStatus} = 'rejected' then (
  select ${verificationDecisions.reason} from ${verificationDecisions}
  where ${verificationDecisions.userId} = ${profiles.id}
  order by ${verificationDecisions.decidedAt} desc, ${verificationDecisions.id} desc
  limit 1
) end`;

const columns = {
  id: profiles.id,
  email: profiles.email,
  role: profiles.role,
  fullName: profiles.fullName,
  phone: profiles.phone,
  avatarDocumentId: profiles.avatarDocumentId,
  avatarObjectKey: documents.objectKey,
  verificationStatus: profiles.verificationStatus,
  verificationReason,
  createdAt: profiles.createdAt,
  updatedAt: profiles.updatedAt,
};

export class DrizzleProfileRepository implements ProfileRepository {
  constructor(private readonly db: DbOrTx<Schema>) {}

  private select(context: RequestContext | undefined) {
    return tracedDb(this.db, context).select(columns).from(profiles).leftJoin(documents, eq(documents.id, profiles.avatarDocumentId));
  }

  async insertIfAbsent(profile: NewProfile, context?: RequestContext): Promise<{ profile: Profile; created: boolean }> {
    const inserted = await tracedDb(this.db, context)
      .insert(profiles)
      .values({ ...profile, updatedAt: profile.createdAt })
      .onConflictDoNothing({ target: profiles.id })
      .returning({ id: profiles.id });
    const stored = await this.findById(profile.id, context);
    if (!stored) throw new Error(`profile ${profile.id} vanished right after its insert`);
    return { profile: stored, created: inserted.length > 0 };
  }

  async findById(id: string, context?: RequestContext): Promise<Profile | null> {
    const [row] = await this.select(context).where(eq(profiles.id, id));
    return row ?? null;
  }

  async findByIdForUpdate(id: string, context?: RequestContext): Promise<Profile | null> {
    // Locks without the avatar join: FOR UPDATE cannot take the nullable side of an outer join,
    // and drizzle's `of` qualifies the table with its schema, which Postgres refuses.
    const locked = await tracedDb(this.db, context).select({ id: profiles.id }).from(profiles).where(eq(profiles.id, id)).for('update');
    return locked.length === 0 ? null : this.findById(id, context);
  }

  async update(id: string, changes: ProfileChanges, at: Date, context?: RequestContext): Promise<Profile | null> {
    const updated = await tracedDb(this.db, context)
      .update(profiles)
      .set({ ...changes, updatedAt: at })
      .where(eq(profiles.id, id))
      .returning({ id: profiles.id });
    return updated.length === 0 ? null : this.findById(id, context);
  }

  async list(filter: ProfileFilter, context?: RequestContext): Promise<Profile[]> {
    const conditions: SQL[] = [];
    if (filter.role) conditions.push(eq(profiles.role, filter.role));
    if (filter.verificationStatus) conditions.push(eq(profiles.verificationStatus, filter.verificationStatus));
    if (filter.after) {
      const { at: createdAt, id } = filter.after;
      conditions.push(or(lt(profiles.createdAt, createdAt), and(eq(profiles.createdAt, createdAt), lt(profiles.id, id)))!);
    }
    return this.select(context)
      .where(and(...conditions))
      .orderBy(desc(profiles.createdAt), desc(profiles.id))
      .limit(filter.limit);
  }
}
