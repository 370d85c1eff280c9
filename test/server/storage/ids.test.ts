import { describe, expect, it } from 'vitest';
import { isId, newId } from '../../../src/server/storage/ids.js';
import { storageConfigFromEnv } from '../../../src/server/storage/index.js';

describe('newId (UUIDv7)', () => {
  it('is a version 7, RFC 9562 variant UUID carrying its millisecond timestamp', () => {
    const ms = Date.parse('2030-05-06T07:08:09.010Z');
    const id = newId(ms);
    expect(isId(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]!);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(ms);
  });

  it('never goes backwards, even for thousands of ids in one millisecond or a clock step back', () => {
    const ids = Array.from({ length: 10_000 }, () => newId(1_900_000_000_000));
    ids.push(newId(1_800_000_000_000));
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('isId rejects anything else', () => {
    expect(isId('not-an-id')).toBe(false);
    expect(isId("' or 1=1 --")).toBe(false);
    expect(isId(newId().toUpperCase())).toBe(false);
  });
});

describe('storageConfigFromEnv', () => {
  it('uses SQLite in the data directory unless DATABASE_URL is set', () => {
    expect(storageConfigFromEnv('/var/lib/vouch', {})).toEqual({
      kind: 'sqlite',
      file: '/var/lib/vouch/vouch.db',
    });
    expect(storageConfigFromEnv('/d', { DATABASE_URL: 'postgres://u@h/db' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    });
  });
});
