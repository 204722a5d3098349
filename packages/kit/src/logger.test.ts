import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createSqlDatabase } from './sql/createSqlDatabase.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

describe('createLogger', () => {
  it('keeps secrets and the values of a failed statement out of log lines', () => {
    const { lines, logger } = capture();
    // What postgres.js throws: the statement and the values it ran with.
    const failed = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
      query: 'insert into users (email, password_hash) values ($1, $2)',
      parameters: ['a@example.com', '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA'],
      args: ['a@example.com', '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA'],
    });
    logger.error({ err: failed, body: { password: 'hunter2-Hunter', refreshToken: 'r1' } }, 'failed');
    logger.warn({ error: failed }, 'failed again');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('scrypt');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"r1"');
    expect(lines[0]).toMatchObject({ err: { message: expect.stringContaining('0x00'), code: '22021', query: expect.stringContaining('insert into users') } });
    expect(lines[1]).toMatchObject({ error: { code: '22021' } });
  });

  it('keeps the values of a statement out of a real drizzle error, message and stack included', async () => {
    const { lines, logger } = capture();
    const database = await createSqlDatabase({ kind: 'pglite' });
    try {
      const failed = await database.db.execute(sql`select ${'$scrypt$ln=15$secret-hash'}::int, ${'line one\nline two'}::text`).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed).toBeInstanceOf(Error);
      logger.error({ err: failed }, 'failed');
    } finally {
      await database.close();
    }
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret-hash');
    expect(text).not.toContain('line two');
    expect(lines[0]).toMatchObject({ err: { message: expect.stringContaining('Failed query: select $1::int, $2::text') } });
    expect(JSON.stringify(lines[0])).toContain('22P02');
  });

  it('writes an aborted operation as its name and message, without DOMException\'s inherited code constants', () => {
    const { lines, logger } = capture();
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    logger.warn({ err: new Error('CreateTrip did not answer in time', { cause: aborted }) }, 'dependency failure');
    expect(lines[0]).toMatchObject({ err: { message: expect.stringContaining('CreateTrip did not answer in time'), cause: { type: 'DOMException', name: 'AbortError', code: 20, message: 'This operation was aborted' } } });
    expect(JSON.stringify(lines[0])).not.toContain('INDEX_SIZE_ERR');
  });
});
