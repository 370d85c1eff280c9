/**
 * Keyset pagination. Cursors are opaque to clients (base64url of the last key seen) so we can
 * change what is inside without breaking them; a tampered cursor is a 400, never SQL.
 */
import { StorageError } from './errors.js';
import type { Page, PageRequest } from './types.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(req: PageRequest | undefined): number {
  const limit = req?.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new StorageError('invalid', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify([key]), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : undefined;
  } catch {
    return undefined;
  }
}

export function decodeStringCursor(cursor: string | null | undefined): string | undefined {
  if (cursor == null || cursor === '') return undefined;
  const key = decode(cursor);
  if (typeof key !== 'string') throw new StorageError('invalid', 'invalid cursor');
  return key;
}

export function decodeIntCursor(cursor: string | null | undefined): number | undefined {
  if (cursor == null || cursor === '') return undefined;
  const key = decode(cursor);
  if (typeof key !== 'number' || !Number.isInteger(key)) throw new StorageError('invalid', 'invalid cursor');
  return key;
}

/**
 * Queries fetch limit + 1 rows: the extra row only says "there is more", without a count query
 * (counts get slow on big result tables).
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  key: (row: R) => string | number,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
