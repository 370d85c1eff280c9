/**
 * Password hashing: argon2id (the memory-hard winner of the Password Hashing Competition, RFC
 * 9106) via @node-rs/argon2, a prebuilt native addon (no compiler, no install script).
 *
 * Parameters are OWASP's first recommendation for argon2id: 19 MiB of memory, 2 passes, 1 lane.
 * One hash costs ~50 ms of one core here, acceptable for logins (rate-limited by the API) while
 * making offline guessing of a stolen hash expensive. Hashes are PHC strings
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) that carry their own parameters, so raising
 * them later only needs `needsRehash` at the next successful login.
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';

// Algorithm is a const enum, which isolated-module builds cannot read: 2 is Algorithm.Argon2id.
const ARGON2ID = 2 as Algorithm.Argon2id;

export const PASSWORD_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Passwords shorter than this are refused (NIST SP 800-63B: at least 8). */
export const MIN_PASSWORD_LENGTH = 8;
/** Bounds the work an attacker can ask for with one login request. */
export const MAX_PASSWORD_LENGTH = 1024;

const CURRENT_PREFIX = `$argon2id$v=19$m=${PASSWORD_PARAMS.memoryCost},t=${PASSWORD_PARAMS.timeCost},p=${PASSWORD_PARAMS.parallelism}$`;

export class PasswordPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordPolicyError';
  }
}

export function checkPasswordPolicy(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  return hash(password, PASSWORD_PARAMS);
}

/** False for a wrong password and for anything that is not a valid hash (never throws on input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than today's (rehash after a good login). */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith(CURRENT_PREFIX);
}

let dummy: Promise<string> | undefined;

/**
 * Spend the time of one verification without a user: a login for an unknown name then takes as
 * long as a wrong password for a known one, so response times do not reveal which names exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hash('vouch-timing-equaliser', PASSWORD_PARAMS);
  await verifyPassword(await dummy, password.slice(0, MAX_PASSWORD_LENGTH));
}
