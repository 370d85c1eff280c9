/**
 * Errors the API layer maps to 4xx. Anything else escaping storage is a 500 and must not leak
 * driver messages to clients.
 */
export type StorageErrorCode = 'not_found' | 'conflict' | 'invalid' | 'invalid_transition';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * Unique-constraint violations look different per driver: pg reports SQLSTATE 23505,
 * better-sqlite3 a SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY code.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
