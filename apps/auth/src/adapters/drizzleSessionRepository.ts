import type { RequestContext } from '@uitgo/kit';
import { tracedDb } from '@uitgo/kit/sql';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AuthDb } from '../db/authDb.js';
import { refreshTokens, sessions } from '../db/schema.js';
import type {
  NewRefreshToken,
  RevocationReason,
  Session,
  SessionRepository,
  StoredRefreshToken,
} from '../ports/sessionRepository.js';

export class DrizzleSessionRepository implements SessionRepository {
  constructor(private readonly db: AuthDb) {}

  async open(session: Pick<Session, 'id' | 'userId' | 'createdAt'>, refreshToken: NewRefreshToken, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).transaction(async (tx) => {
      await tx.insert(sessions).values(session);
      await tx.insert(refreshTokens).values({ ...refreshToken, sessionId: session.id });
    });
  }

  async find(sessionId: string, context?: RequestContext): Promise<Session | undefined> {
    const [row] = await tracedDb(this.db, context).select().from(sessions).where(eq(sessions.id, sessionId)).limit(1);
    return row;
  }

  async rotateRefreshToken(tokenHash: string, next: NewRefreshToken, now: Date, context?: RequestContext): Promise<string | undefined> {
    return tracedDb(this.db, context).transaction(async (tx) => {
      // The conditional UPDATE is the race arbiter: a concurrent spender waits on the row lock,
      // then re-checks `spent_at is null`, finds it set and updates nothing.
      const [spent] = await tx
        .update(refreshTokens)
        .set({ spentAt: now })
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.spentAt),
            gt(refreshTokens.expiresAt, now),
            sql`exists (select 1 from ${sessions} where ${sessions.id} = ${refreshTokens.sessionId} and ${sessions.revokedAt} is null)`,
          ),
        )
        .returning({ sessionId: refreshTokens.sessionId });
      if (!spent) return undefined;
      await tx.insert(refreshTokens).values({ ...next, sessionId: spent.sessionId });
      return spent.sessionId;
    });
  }

  async findRefreshToken(tokenHash: string, context?: RequestContext): Promise<StoredRefreshToken | undefined> {
    const [row] = await tracedDb(this.db, context).select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
    return row;
  }

  async revoke(sessionId: string, reason: RevocationReason, now: Date, context?: RequestContext): Promise<Session | undefined> {
    await tracedDb(this.db, context)
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
    return this.find(sessionId, context);
  }
}
