import type { RequestContext } from '@uitgo/kit';
import { tracedDb } from '@uitgo/kit/sql';
import { desc, gt, isNull, or, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import type { AuthDb } from '../db/authDb.js';
import { signingKeys } from '../db/schema.js';
import type { PublicSigningKey, SigningKeyPair, SigningKeyStore } from '../ports/signingKeyStore.js';
import type { AesGcmKeyCipher } from './aesGcmKeyCipher.js';

type Row = typeof signingKeys.$inferSelect;

/** Serialises rotations across replicas; the partial unique index still guarantees one active key. */
const ROTATION_LOCK = sql`select pg_advisory_xact_lock(hashtext('uitgo.auth.signing_keys'))`;

export class DrizzleSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly db: AuthDb,
    private readonly cipher: AesGcmKeyCipher,
  ) {}

  async active(): Promise<SigningKeyPair | undefined> {
    const [row] = await this.db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).limit(1);
    return row ? this.unseal(row) : undefined;
  }

  async activateIfNone(candidate: SigningKeyPair, now: Date): Promise<SigningKeyPair> {
    // A replica that loses the race hits the one-active index and does nothing.
    await this.db.insert(signingKeys).values(this.seal(candidate, now)).onConflictDoNothing();
    const active = await this.active();
    if (!active) throw new Error('no active signing key after activating one');
    return active;
  }

  async rotate(next: SigningKeyPair, now: Date, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).transaction(async (tx) => {
      await tx.execute(ROTATION_LOCK);
      await tx.update(signingKeys).set({ retiredAt: now }).where(isNull(signingKeys.retiredAt));
      await tx.insert(signingKeys).values(this.seal(next, now));
    });
  }

  async publicKeys(retiredAfter: Date, context?: RequestContext): Promise<PublicSigningKey[]> {
    const rows = await tracedDb(this.db, context)
      .select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk, activatedAt: signingKeys.activatedAt, retiredAt: signingKeys.retiredAt })
      .from(signingKeys)
      .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, retiredAfter)))
      .orderBy(desc(signingKeys.activatedAt));
    return rows.map((row) => ({ ...row, publicJwk: row.publicJwk as JWK }));
  }

  private seal(key: SigningKeyPair, now: Date): typeof signingKeys.$inferInsert {
    return {
      kid: key.kid,
      publicJwk: key.publicJwk,
      privateKeyEncrypted: this.cipher.seal(JSON.stringify(key.privateJwk), key.kid),
      createdAt: key.createdAt,
      activatedAt: now,
    };
  }

  private unseal(row: Row): SigningKeyPair {
    const privateJwk = JSON.parse(this.cipher.open(row.privateKeyEncrypted, row.kid)) as JWK;
    return { kid: row.kid, publicJwk: row.publicJwk as JWK, privateJwk, createdAt: row.createdAt };
  }
}

