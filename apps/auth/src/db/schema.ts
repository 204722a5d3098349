import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { sql } from 'drizzle-orm';
import { index, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Every table of the auth service lives in this Postgres schema (one database per service in real mode). */
export const authSchema = pgSchema('auth');

export const outbox = outboxTable(authSchema);
export const processedEvents = processedEventsTable(authSchema);

export const userRole = authSchema.enum('user_role', ['passenger', 'driver', 'admin']);

export const users = authSchema.table(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored trimmed and lowercased; the unique index on lower(email) also guards rows written otherwise. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull(),
    fullName: text('full_name').notNull(),
    phone: text('phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`)],
);

export const sessions = authSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const refreshTokens = authSchema.table(
  'refresh_tokens',
  {
    /** SHA-256 of the whole token, hex; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    spentAt: timestamp('spent_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('refresh_tokens_session_id_idx').on(t.sessionId)],
);

export const signingKeys = authSchema.table(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    publicJwk: jsonb('public_jwk').notNull(),
    /** The private JWK sealed with AES-256-GCM under the key-encryption secret. */
    privateKeyEncrypted: text('private_key_encrypted').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When the key starts signing; in the future while a rotation publishes it ahead of use. */
    activatedAt: timestamp('activated_at', { withTimezone: true }).notNull(),
    /** When the key stops signing (its successor's activation); null for the newest key. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  // At most one newest key, whatever replicas race to create or rotate one.
  (t) => [uniqueIndex('signing_keys_one_active').on(sql`(true)`).where(sql`${t.retiredAt} is null`)],
);
