import postgres from 'postgres';

/**
 * Throwaway Postgres databases for tests (Immich's pattern): migrate a template database once,
 * then give each test file its own copy with `CREATE DATABASE x TEMPLATE y`, which takes
 * milliseconds. Everything goes through the admin connection in POSTGRES_URL.
 */

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, disconnecting any client still attached. */
  drop(): Promise<void>;
}

export const postgresAdminUrl = (): string => process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin URL pointing at another database on the same server. */
export function postgresDatabaseUrl(database: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

const templates = new Map<string, Promise<string>>();
let cloneCounter = 0;

/**
 * Creates (if missing) and migrates the template database `name`, once per process; returns
 * its name. `migrate` receives the template's URL and must close its connections before it
 * resolves. An advisory lock serialises vitest workers doing the same; if migrating an existing
 * template fails (say, regenerated migrations), the template is rebuilt from scratch once.
 */
export function createTemplateDatabase(name: string, migrate: (url: string) => Promise<void>): Promise<string> {
  let ready = templates.get(name);
  if (!ready) {
    ready = buildTemplate(name, migrate);
    ready.catch(() => templates.delete(name));
    templates.set(name, ready);
  }
  return ready;
}

/** Clones the template into a fresh database named after it. */
export async function createTestDatabase(templateName: string): Promise<TestDatabase> {
  cloneCounter += 1;
  const name = checkedName(`${templateName}_${process.pid}_${Date.now().toString(36)}_${cloneCounter}`);
  await withAdmin(async (admin) => {
    // Shared lock: clones run in parallel, but never while a worker (exclusively) migrates the template.
    await admin`select pg_advisory_lock_shared(hashtext(${lockKey(templateName)}))`;
    try {
      await admin.unsafe(`create database "${name}" template "${checkedName(templateName)}"`);
    } finally {
      await admin`select pg_advisory_unlock_shared(hashtext(${lockKey(templateName)}))`;
    }
  });
  return {
    name,
    url: postgresDatabaseUrl(name),
    drop: () => withAdmin((admin) => admin.unsafe(`drop database if exists "${name}" with (force)`).then(() => undefined)),
  };
}

async function buildTemplate(name: string, migrate: (url: string) => Promise<void>): Promise<string> {
  checkedName(name);
  const url = postgresDatabaseUrl(name);
  await withAdmin(async (admin) => {
    await admin`select pg_advisory_lock(hashtext(${lockKey(name)}))`;
    try {
      const [existing] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!existing) {
        await admin.unsafe(`create database "${name}"`);
        await migrate(url);
        return;
      }
      try {
        await migrate(url);
      } catch {
        await admin.unsafe(`drop database "${name}" with (force)`);
        await admin.unsafe(`create database "${name}"`);
        await migrate(url);
      }
    } finally {
      await admin`select pg_advisory_unlock(hashtext(${lockKey(name)}))`;
    }
  });
  return name;
}

const lockKey = (template: string): string => `uitgo:test-template:${template}`;

function checkedName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a usable database name (a-z, 0-9, _; at most 63): ${name}`);
  return name;
}

/** One admin session per call: advisory locks belong to a session, so lock and work share it. */
async function withAdmin<T>(fn: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
  try {
    return await fn(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
