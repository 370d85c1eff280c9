import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hashSecret,
  issueToken,
  parseToken,
  secretMatches,
  TOKEN_KINDS,
} from '../../../src/server/auth/opaque-token.js';

describe('opaque tokens (API keys, agent credentials, enrollment tokens)', () => {
  it.each(TOKEN_KINDS)('issues a %s token that parses back and matches only its own hash', (kind) => {
    const issued = issueToken(kind);
    expect(issued.token).toMatch(new RegExp(`^vouch_${kind}_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$`));
    expect(issued.token.startsWith(`${issued.prefix}_`)).toBe(true);
    const parsed = parseToken(issued.token)!;
    expect(parsed).toMatchObject({ kind, prefix: issued.prefix });
    expect(secretMatches(parsed.secret, issued.hash)).toBe(true);
    expect(secretMatches(parsed.secret, issueToken(kind).hash)).toBe(false);
    // The stored form is the SHA-256 of the secret: no part of the token is in it.
    expect(issued.hash).toBe(createHash('sha256').update(parsed.secret).digest('hex'));
    expect(issued.hash).not.toContain(parsed.secret.slice(0, 8));
  });

  it('never issues the same token twice', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => issueToken('key').token));
    expect(tokens.size).toBe(1000);
  });

  it.each([
    ['empty', ''],
    ['another vendor', 'ghp_0123456789abcdef0123456789abcdef0123'],
    ['unknown kind', `vouch_user_0123456789abcdef_${'a'.repeat(43)}`],
    ['short secret', `vouch_key_0123456789abcdef_${'a'.repeat(42)}`],
    ['long secret', `vouch_key_0123456789abcdef_${'a'.repeat(44)}`],
    ['upper-case lookup', `vouch_key_0123456789ABCDEF_${'a'.repeat(43)}`],
    ['trailing space', `vouch_key_0123456789abcdef_${'a'.repeat(43)} `],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expect(parseToken(token)).toBeUndefined();
  });

  it('treats a corrupt stored hash as no match', () => {
    expect(secretMatches('abc', 'abcd')).toBe(false);
    expect(secretMatches('abc', '')).toBe(false);
    expect(secretMatches('abc', hashSecret('abc'))).toBe(true);
  });
});
