const UNIQUE_VIOLATION = '23505';

/** Postgres' unique_violation from postgres.js or PGlite, also when drizzle wraps it as the cause. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint: name, constraint_name } = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (code === UNIQUE_VIOLATION) return constraint === undefined || name === constraint || constraint_name === constraint;
  }
  return false;
}
