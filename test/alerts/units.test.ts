/** Pure pieces of the alerting layer: filters, backoff, deduplication keys, retry-after parsing. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY } from '../../src/alerts/backoff.js';
import { Deduplicator } from '../../src/alerts/dedupe.js';
import { compileFilter } from '../../src/alerts/filter.js';
import { parseRetryAfter } from '../../src/alerts/http.js';
import { makeEvent } from './receivers.js';

describe('compileFilter', () => {
  const event = makeEvent();
  const withRule = (id: string, severity: 'info' | 'low' | 'medium' | 'high' | 'unknown') => ({
    ...event,
    rule: { ...event.rule, id, severity },
  });

  it('accepts everything without a spec', () => {
    expect(compileFilter(undefined)(event)).toBe(true);
    expect(compileFilter({})(event)).toBe(true);
  });

  it('applies minimum severity in SEVERITIES order (unknown lowest)', () => {
    const medium = compileFilter({ minSeverity: 'medium' });
    expect(medium(withRule('a', 'high'))).toBe(true);
    expect(medium(withRule('a', 'medium'))).toBe(true);
    expect(medium(withRule('a', 'low'))).toBe(false);
    expect(medium(withRule('a', 'unknown'))).toBe(false);
  });

  it('matches rule globs: include any, exclude none', () => {
    const f = compileFilter({ rules: { include: ['sshd-*', 'sysctl-*'], exclude: ['*-log-level'] } });
    expect(f(withRule('sshd-permit-root-login', 'high'))).toBe(true);
    expect(f(withRule('sysctl.ip-forward', 'high'))).toBe(false);
    expect(f(withRule('sshd-log-level', 'high'))).toBe(false);
    expect(f(withRule('pkg-telnet', 'high'))).toBe(false);
  });

  it('requires every label, values as globs', () => {
    expect(compileFilter({ labels: { env: 'prod', role: 'we*' } })(event)).toBe(true);
    expect(compileFilter({ labels: { env: 'staging' } })(event)).toBe(false);
    expect(compileFilter({ labels: { team: '*' } })(event)).toBe(false);
    expect(
      compileFilter({ labels: { env: 'prod' } })({ ...event, target: { kind: 'local', description: 'x' } }),
    ).toBe(false);
  });

  it('filters by event kind', () => {
    const f = compileFilter({ kinds: ['resolved'] });
    expect(f(event)).toBe(false);
    expect(f({ ...event, kind: 'resolved' })).toBe(true);
  });
});

describe('backoffDelay', () => {
  const policy = { attempts: 6, initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0 };

  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });

  it('jitter takes away at most its share of the delay', () => {
    const jittered = { ...policy, jitter: 1 };
    expect(backoffDelay(jittered, 3, () => 0)).toBe(400);
    expect(backoffDelay(jittered, 3, () => 0.999)).toBeLessThanOrEqual(1);
    expect(backoffDelay({ ...policy, jitter: 0.5 }, 3, () => 1)).toBe(200);
  });

  it('honours Retry-After up to the cap', () => {
    expect(backoffDelay(policy, 1, () => 0, 700)).toBe(700);
    expect(backoffDelay(policy, 1, () => 0, 60_000)).toBe(1_000);
    expect(DEFAULT_RETRY.attempts).toBeGreaterThan(1);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('Thu, 26 Nov 2026 00:00:10 GMT', Date.parse('2026-11-26T00:00:00Z'))).toBe(10_000);
  });
});

describe('Deduplicator', () => {
  it('is off with a zero window', () => {
    const d = new Deduplicator(0);
    expect(d.isDuplicate(makeEvent())).toBe(false);
    expect(d.isDuplicate(makeEvent())).toBe(false);
  });

  it('tells targets apart', () => {
    const d = new Deduplicator(60_000, () => 0);
    const a = makeEvent({ id: 'a' });
    expect(d.isDuplicate(a)).toBe(false);
    expect(d.isDuplicate({ ...a, id: 'b', target: { ...a.target, hostname: 'web-2' } })).toBe(false);
    expect(d.isDuplicate({ ...a, id: 'c' })).toBe(true);
  });
});
