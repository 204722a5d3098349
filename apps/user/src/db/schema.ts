import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { sql } from 'drizzle-orm';
import { bigint, check, index, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { pgSchema } from 'drizzle-orm/pg-core';

/** Every table of the user service lives in this Postgres schema (one database per service in real mode). */
export const userSchema = pgSchema('user');

export const outbox = outboxTable(userSchema);
export const processedEvents = processedEventsTable(userSchema);

export const roleEnum = userSchema.enum('role', ['passenger', 'driver', 'admin']);
export const verificationStatusEnum = userSchema.enum('verification_status', ['unverified', 'pending', 'verified', 'rejected']);
export const documentKindEnum = userSchema.enum('document_kind', ['avatar', 'driver_license', 'national_id', 'vehicle_registration']);
export const documentStatusEnum = userSchema.enum('document_status', ['awaiting_upload', 'uploaded']);
export const verificationDecisionEnum = userSchema.enum('verification_decision', ['verified', 'rejected']);

/** Millisecond precision: the list cursor carries a JS Date, which must compare equal to the stored value. */
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const profiles = userSchema.table(
  'profiles',
  {
    /** The auth service's account id. */
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    role: roleEnum('role').notNull(),
    fullName: text('full_name').notNull(),
    phone: text('phone'),
    avatarDocumentId: uuid('avatar_document_id').references((): AnyPgColumn => documents.id, { onDelete: 'set null' }),
    verificationStatus: verificationStatusEnum('verification_status').notNull().default('unverified'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    // Keyset pagination, newest first, with and without the admin filters.
    index('profiles_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('profiles_status_created_idx').on(t.verificationStatus, t.createdAt.desc(), t.id.desc()),
    index('profiles_role_created_idx').on(t.role, t.createdAt.desc(), t.id.desc()),
  ],
);

export const documents = userSchema.table(
  'documents',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references((): AnyPgColumn => profiles.id, { onDelete: 'cascade' }),
    kind: documentKindEnum('kind').notNull(),
    status: documentStatusEnum('status').notNull().default('awaiting_upload'),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Chosen by the service, never by the client: `users/<userId>/<kind>/<random>`. */
    objectKey: text('object_key').notNull().unique(),
    createdAt: instant('created_at').notNull(),
    uploadedAt: instant('uploaded_at'),
  },
  (t) => [
    index('documents_user_created_idx').on(t.userId, t.createdAt.desc()),
    check('documents_size_positive', sql`${t.sizeBytes} > 0`),
  ],
);

/** Append-only audit trail of admin decisions; written in the transaction that changes the status. */
export const verificationDecisions = userSchema.table(
  'verification_decisions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references((): AnyPgColumn => profiles.id, { onDelete: 'cascade' }),
    adminId: uuid('admin_id').notNull(),
    decision: verificationDecisionEnum('decision').notNull(),
    reason: text('reason'),
    decidedAt: instant('decided_at').notNull(),
  },
  (t) => [
    index('verification_decisions_user_idx').on(t.userId, t.decidedAt.desc()),
    check('verification_decisions_rejection_has_reason', sql`${t.decision} <> 'rejected' or ${t.reason} is not null`),
  ],
);
