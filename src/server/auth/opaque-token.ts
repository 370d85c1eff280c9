/**
 * Opaque bearer credentials: API keys, agent credentials and enrollment tokens.
 *
 * Shape: `vouch_<kind>_<lookup>_<secret>`
 * - kind: `key` | `agent` | `enroll`. A recognisable prefix lets secret scanners (GitHub push
 *   protection, trufflehog) flag leaked Vouch tokens, and tells the server which table to look in.
 * - lookup: 16 random hex characters, public, stored in the row's unique `prefix` column
 *   (`vouch_<kind>_<lookup>`) to find the row; also what the UI shows to tell keys apart.
 * - secret: 32 random bytes, base64url (43 characters). Only SHA-256(secret) is stored.
 *
 * Why SHA-256 and not argon2 like passwords: argon2 exists to slow down guessing of *low-entropy*
 * human passwords from a stolen hash. These secrets are 256 random bits: a stolen SHA-256 of one
 * is exactly as hard to invert as guessing the secret itself (2^256), so a slow hash adds nothing,
 * while costing ~50 ms of CPU on every API request an agent or script makes. This is what GitHub
 * and Stripe do for their tokens. Comparison of the hashes uses timingSafeEqual so response time
 * says nothing about how much of a guessed secret matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_KINDS = ['key', 'agent', 'enroll'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const SECRET_BYTES = 32;
const LOOKUP_BYTES = 8;
const SHAPE = /^vouch_(key|agent|enroll)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  /** The whole token: give it to the caller once, never store or log it. */
  token: string;
  /** Public part, stored unique to find the row. */
  prefix: string;
  /** SHA-256 (hex) of the secret part, the only form stored. */
  hash: string;
}

export interface ParsedToken {
  kind: TokenKind;
  prefix: string;
  secret: string;
}

export function issueToken(kind: TokenKind): IssuedToken {
  const prefix = `vouch_${kind}_${randomBytes(LOOKUP_BYTES).toString('hex')}`;
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { token: `${prefix}_${secret}`, prefix, hash: hashSecret(secret) };
}

/** The token's parts, or undefined when it does not have the shape of a Vouch token. */
export function parseToken(token: string): ParsedToken | undefined {
  const match = SHAPE.exec(token);
  if (!match) return undefined;
  const [, kind, lookup, secret] = match as unknown as [string, TokenKind, string, string];
  return { kind, prefix: `vouch_${kind}_${lookup}`, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  // Both are SHA-256 digests; a stored value of another length is corrupt, never a match. The
  // length check does not leak anything about the secret.
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored);
}
