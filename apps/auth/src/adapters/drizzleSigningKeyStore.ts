import type { RequestContext } from '@uitgo/kit';
import { tracedDb } from '@uitgo/kit/sql';
import { asc, desc, gt, isNull, or, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import type { AuthDb } from '../db/authDb.js';
import { signingKeys } from '../db/schema.js';
import type { PublicSigningKey, ScheduledSigningKey, SigningKeyPair, SigningKeyStore } from '../ports/signingKeyStore.js';
import type { AesGcmKeyCipher } from './aesGcmKeyCipher.js';

type Row = typeof signingKeys.$inferSelect;

/** Serialises rotations across replicas; the partial unique index still guarantees one newest key. */
const ROTATION_LOCK = sql`select pg_advisory_xact_lock(hashtext('uitgo.auth.signing_keys'))`;

const notRetiredBy = (now: Date) => or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, now));

export class DrizzleSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly db: AuthDb,
    private readonly cipher: AesGcmKeyCipher,
  ) {}

  async signingKeyAt(now: Date): Promise<ScheduledSigningKey | undefined> {
    const [row] = await this.db
      .select()
      .from(signingKeys)
      .where(notRetiredBy(now))
      // Of keys activating together, the one retiring first comes first in the chain (asc puts nulls last).
      .orderBy(asc(signingKeys.activatedAt), asc(signingKeys.retiredAt))
      .limit(1);
    return row ? this.unseal(row) : undefined;
  }

  async activateIfNone(candidate: SigningKeyPair, now: Date): Promise<ScheduledSigningKey> {
    // A replica that loses the race hits the one-newest index and does nothing.
    await this.db.insert(signingKeys).values(this.seal(candidate, now)).onConflictDoNothing();
    const signing = await this.signingKeyAt(now);
    if (!signing) throw new Error('no signing key after activating one');
    return signing;
  }

  async rotate(next: SigningKeyPair, activateAt: Date, context?: RequestContext): Promise<Date> {
    return tracedDb(this.db, context).transaction(async (tx) => {
      await tx.execute(ROTATION_LOCK);
      const [newest] = await tx.select({ activatedAt: signingKeys.activatedAt }).from(signingKeys).where(isNull(signingKeys.retiredAt));
      // A rotation never takes effect before one still pending, so the windows stay in order.
      const at = newest && newest.activatedAt > activateAt ? newest.activatedAt : activateAt;
      await tx.update(signingKeys).set({ retiredAt: at }).where(isNull(signingKeys.retiredAt));
      await tx.insert(signingKeys).values(this.seal(next, at));
      return at;
    });
  }

  async publicKeys(retiredAfter: Date, context?: RequestContext): Promise<PublicSigningKey[]> {
    const rows = await tracedDb(this.db, context)
      .select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk, activatedAt: signingKeys.activatedAt, retiredAt: signingKeys.retiredAt })
      .from(signingKeys)
      .where(notRetiredBy(retiredAfter))
      .orderBy(desc(signingKeys.activatedAt));
    return rows.map((row) => ({ ...row, publicJwk: row.publicJwk as JWK }));
  }

  private seal(key: SigningKeyPair, activatedAt: Date): typeof signingKeys.$inferInsert {
    return {
      kid: key.kid,
      publicJwk: key.publicJwk,
      privateKeyEncrypted: this.cipher.seal(JSON.stringify(key.privateJwk), key.kid),
      createdAt: key.createdAt,
      activatedAt,
    };
  }

  private unseal(row: Row): ScheduledSigningKey {
    const privateJwk = JSON.parse(this.cipher.open(row.privateKeyEncrypted, row.kid)) as JWK;
    return {
      kid: row.kid,
      publicJwk: row.publicJwk as JWK,
      privateJwk,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      retiredAt: row.retiredAt,
    };
  }
}
