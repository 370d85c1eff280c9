import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  burnPasswordCheck,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  PasswordPolicyError,
  verifyPassword,
} from '../../../src/server/auth/passwords.js';

describe('passwords (argon2id)', () => {
  it('hashes with argon2id and OWASP parameters, salted, and verifies', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(a, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('treats a garbage hash as a mismatch, not an exception', async () => {
    expect(await verifyPassword('not a hash', 'whatever1')).toBe(false);
    expect(await verifyPassword('', 'whatever1')).toBe(false);
  });

  it('asks for a rehash when the parameters changed', async () => {
    const weak = await hash('correct horse battery', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(await verifyPassword(weak, 'correct horse battery')).toBe(true);
    expect(needsRehash(weak)).toBe(true);
  });

  it.each([
    ['too short', 'short12', /at least 8/],
    ['too long', 'x'.repeat(MAX_PASSWORD_LENGTH + 1), /at most 1024/],
  ])('refuses a password that is %s', async (_name, password, message) => {
    await expect(hashPassword(password)).rejects.toThrow(PasswordPolicyError);
    await expect(hashPassword(password)).rejects.toThrow(message);
  });

  it('counts characters, not UTF-16 units, for the minimum', async () => {
    expect(await hashPassword('ünïcödé!')).toMatch(/^\$argon2id/);
    await expect(hashPassword('🔑🔑🔑🔑')).rejects.toThrow(/at least 8/);
  });

  it('burns comparable time for an unknown user', async () => {
    const real = await hashPassword('correct horse battery');
    await burnPasswordCheck('warm-up-pass');
    const median = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const verifyMs = await median(() => verifyPassword(real, 'wrong password'));
    const burnMs = await median(() => burnPasswordCheck('wrong password'));
    // Same parameters, same work: medians within a factor of 3 even on a busy machine.
    expect(burnMs).toBeGreaterThan(verifyMs / 3);
    expect(burnMs).toBeLessThan(verifyMs * 3);
  });
});
