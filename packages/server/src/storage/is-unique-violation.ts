/**
 * True when `error` is a unique or primary-key violation from SQLite (better-sqlite3) or
 * PostgreSQL (pg), e.g. `users.insert` with an email that differs from an existing one only in
 * case. Lets callers answer "already taken" without parsing messages. Says nothing about which
 * constraint failed.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
