/**
 * The dispatcher against real receivers: retries with backoff, dead letters, deduplication, isolation
 * of a hung channel, filters and close(). Backoffs are a few milliseconds so the suite stays fast.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../src/alerts/channel.js';
import { createChannel } from '../../src/alerts/create-channel.js';
import type { DeadLetterEntry } from '../../src/alerts/dead-letter.js';
import {
  AlertDispatcher,
  type DeliveryOutcome,
  type DispatcherOptions,
} from '../../src/alerts/dispatcher.js';
import type { DriftEvent } from '../../src/core/drift.js';
import {
  captureLog,
  type HttpReceiver,
  makeEvent,
  type Responder,
  startHttpReceiver,
  waitUntil,
} from './receivers.js';

const FAST_RETRY = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20, factor: 2, jitter: 0 };

let dir: string;
let receivers: HttpReceiver[] = [];
let dispatchers: AlertDispatcher[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-alerts-'));
});

afterEach(async () => {
  await Promise.all(dispatchers.map((d) => d.close({ deadlineMs: 100 })));
  await Promise.all(receivers.map((r) => r.close()));
  dispatchers = [];
  receivers = [];
  await rm(dir, { recursive: true, force: true });
});

async function receiver(respond?: Responder): Promise<HttpReceiver> {
  const r = await startHttpReceiver(respond);
  receivers.push(r);
  return r;
}

function dispatcher(channels: AlertChannel[], options: DispatcherOptions = {}) {
  const { lines, log } = captureLog();
  const outcomes: DeliveryOutcome[] = [];
  const d = new AlertDispatcher(channels, {
    retry: FAST_RETRY,
    timeoutMs: 2_000,
    deadLetterPath: join(dir, 'dead-letter.jsonl'),
    log,
    onOutcome: (o) => outcomes.push(o),
    ...options,
  });
  dispatchers.push(d);
  return { d, lines, outcomes };
}

async function deadLetters(): Promise<DeadLetterEntry[]> {
  const text = await readFile(join(dir, 'dead-letter.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeadLetterEntry);
}

describe('AlertDispatcher', () => {
  it('retries a failing receiver and delivers exactly once when it recovers', async () => {
    const server = await receiver((_, i) => ({ status: i < 2 ? 503 : 200 }));
    const { d, outcomes } = dispatcher([createChannel({ type: 'webhook', url: server.url })]);
    await d.deliver(makeEvent());
    await d.idle();

    expect(server.requests).toHaveLength(3);
    // Same event id on every try; the receiver dedupes on it if a "failed" try actually landed.
    expect(new Set(server.requests.map((r) => r.headers['x-vouch-event-id']))).toEqual(new Set(['evt-1']));
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'delivered', channel: 'webhook', attempts: 3 }),
    ]);
    expect(d.stats()).toMatchObject({ received: 1, delivered: 1, deadLettered: 0, pending: 0 });
    expect(await deadLetters()).toEqual([]);
    // Backoff: the retries were spaced by at least the configured 5 ms then 10 ms.
    const [a, b, c] = server.requests.map((r) => r.receivedAt);
    expect(b! - a!).toBeGreaterThanOrEqual(4);
    expect(c! - b!).toBeGreaterThanOrEqual(9);
  });

  it('dead-letters an event once its retries are exhausted, with the masked error', async () => {
    const server = await receiver(() => ({ status: 500, body: 'boom' }));
    const { d, lines } = dispatcher([
      createChannel({ type: 'slack', name: 'team-slack', url: `${server.url}/T000/B000/XXXXSECRETXXXX` }),
    ]);
    await d.deliver(makeEvent());
    await d.idle();

    expect(server.requests).toHaveLength(3);
    const entries = await deadLetters();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      channel: 'team-slack',
      channelType: 'slack',
      reason: 'exhausted',
      attempts: 3,
      event: { id: 'evt-1', rule: { id: 'sshd-permit-root-login' } },
    });
    expect(entries[0]?.error).toContain('HTTP 500');
    expect(entries[0]?.event.timestamps.alertSentAt).toBeUndefined();
    const everything = JSON.stringify(entries) + lines.join('\n');
    expect(everything).not.toContain('XXXXSECRETXXXX');
    expect(lines.some((l) => l.includes('team-slack') && l.includes('exhausted'))).toBe(true);
  });

  it('does not retry a request the receiver rejects for good (HTTP 400)', async () => {
    const server = await receiver(() => ({ status: 400 }));
    const { d } = dispatcher([createChannel({ type: 'webhook', url: server.url })]);
    await d.deliver(makeEvent());
    await d.idle();
    expect(server.requests).toHaveLength(1);
    expect((await deadLetters())[0]).toMatchObject({ reason: 'rejected', attempts: 1 });
  });

  it('sets timestamps.alertSentAt on the delivered copy, not on the caller’s event', async () => {
    const server = await receiver();
    const fixed = new Date('2026-11-26T01:02:03.004Z');
    const { d } = dispatcher([createChannel({ type: 'webhook', url: server.url })], { now: () => fixed });
    const event = makeEvent();
    await d.deliver(event);
    await d.idle();
    const sent = JSON.parse(server.requests[0]!.body) as DriftEvent;
    expect(sent.timestamps.alertSentAt).toBe('2026-11-26T01:02:03.004Z');
    expect(sent.timestamps.evaluatedAt).toBe(event.timestamps.evaluatedAt);
    expect(event.timestamps.alertSentAt).toBeUndefined();
  });

  it('suppresses repeated events: same id, or same target+rule+transition within the window', async () => {
    const server = await receiver();
    let now = Date.parse('2026-11-26T00:00:00Z');
    const { d } = dispatcher([createChannel({ type: 'webhook', url: server.url })], {
      dedupeWindowMs: 60_000,
      now: () => new Date(now),
    });
    await d.deliver(makeEvent({ id: 'a' }));
    await d.deliver(makeEvent({ id: 'a' })); // same id
    await d.deliver(makeEvent({ id: 'b' })); // same target, rule and pass -> fail
    now += 61_000; // window over: a repeat is a reminder again
    await d.deliver(makeEvent({ id: 'c' }));
    await d.idle();
    expect(server.requests.map((r) => r.headers['x-vouch-event-id'])).toEqual(['a', 'c']);
    expect(d.stats()).toMatchObject({ received: 4, duplicates: 2, delivered: 2 });
  });

  it('never suppresses a flapping rule: drift, resolved, drift all go out in order', async () => {
    const server = await receiver();
    const { d } = dispatcher([createChannel({ type: 'webhook', url: server.url })], {
      dedupeWindowMs: 60_000,
    });
    await d.deliver(makeEvent({ id: 'd1' }));
    await d.deliver(makeEvent({ id: 'r1', kind: 'resolved', previousStatus: 'fail', status: 'pass' }));
    await d.deliver(makeEvent({ id: 'd2' }));
    // A different rule with the same transition is a different alert.
    const other = makeEvent({ id: 'x1' });
    await d.deliver({ ...other, rule: { ...other.rule, id: 'sysctl-ip-forward' } });
    await d.idle();
    expect(server.requests.map((r) => r.headers['x-vouch-event-id'])).toEqual(['d1', 'r1', 'd2', 'x1']);
  });

  it('keeps delivering to a healthy channel while another one hangs', async () => {
    const hung = await receiver(() => 'hang');
    const healthy = await receiver();
    const { d } = dispatcher(
      [
        createChannel({
          type: 'webhook',
          name: 'hung',
          url: hung.url,
          timeoutMs: 1_000,
          retry: { attempts: 1 },
        }),
        createChannel({ type: 'webhook', name: 'healthy', url: healthy.url }),
      ],
      { timeoutMs: 1_000 },
    );
    const started = Date.now();
    const delivered = d.deliver(makeEvent({ id: 'e1' }));
    // deliver() returns at once, whatever the channels do.
    await delivered;
    expect(Date.now() - started).toBeLessThan(100);
    await d.deliver(makeEvent({ id: 'e2', rule: { ...makeEvent().rule, id: 'other-rule' } }));
    await waitUntil(() => healthy.requests.length === 2, 950, 'both events at the healthy receiver');
    // Both arrived while the hung channel was still stuck on its first request.
    expect(hung.requests).toHaveLength(1);
    // The hung request is cut by the per-request timeout and dead-lettered; the second event then goes out.
    await d.idle();
    expect(hung.requests).toHaveLength(2);
    const entries = await deadLetters();
    expect(entries.map((e) => [e.channel, e.event.id, e.reason])).toEqual([
      ['hung', 'e1', 'exhausted'],
      ['hung', 'e2', 'exhausted'],
    ]);
  });

  it('moves on even when a channel ignores its abort signal', async () => {
    const stubborn: AlertChannel = {
      name: 'stubborn',
      type: 'custom',
      filter: () => true,
      send: () => new Promise<void>(() => {}),
    };
    const { d, outcomes } = dispatcher([stubborn], {
      timeoutMs: 50,
      retry: { attempts: 2, initialDelayMs: 1, jitter: 0 },
    });
    await d.deliver(makeEvent());
    await d.idle();
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'dead-letter', reason: 'exhausted', attempts: 2 }),
    ]);
    expect(outcomes[0]?.status === 'dead-letter' && outcomes[0].error).toContain('timed out');
  });

  it('delivers each event only to the channels whose filter accepts it', async () => {
    const all = await receiver();
    const critical = await receiver();
    const { d } = dispatcher([
      createChannel({ type: 'webhook', name: 'all', url: all.url }),
      createChannel({
        type: 'webhook',
        name: 'critical',
        url: critical.url,
        filter: {
          minSeverity: 'high',
          rules: { include: ['sshd-*'] },
          labels: { env: 'prod' },
          kinds: ['drift'],
        },
      }),
    ]);
    const base = makeEvent();
    await d.deliver(base);
    await d.deliver({ ...base, id: 'low', rule: { ...base.rule, id: 'sshd-low', severity: 'low' } });
    await d.deliver({
      ...base,
      id: 'staging',
      rule: { ...base.rule, id: 'sshd-b' },
      target: { ...base.target, labels: { env: 'staging' } },
    });
    await d.deliver({ ...base, id: 'sysctl', rule: { ...base.rule, id: 'sysctl-x' } });
    await d.deliver({ ...base, id: 'resolved', kind: 'resolved', previousStatus: 'fail', status: 'pass' });
    await d.idle();
    expect(all.requests).toHaveLength(5);
    expect(critical.requests.map((r) => r.headers['x-vouch-event-id'])).toEqual(['evt-1']);
  });

  it('close() drains queued events, then refuses new ones into the dead-letter log', async () => {
    const server = await receiver();
    const { d } = dispatcher([createChannel({ type: 'webhook', url: server.url })]);
    for (let i = 0; i < 5; i++)
      await d.deliver(makeEvent({ id: `q${i}`, rule: { ...makeEvent().rule, id: `r${i}` } }));
    const closing = d.close({ deadlineMs: 2_000 });
    await d.deliver(makeEvent({ id: 'during-close' }));
    const result = await closing;
    expect(result).toMatchObject({ drained: true, delivered: 5, pending: 0 });
    expect(server.requests).toHaveLength(5);
    await d.deliver(makeEvent({ id: 'late', rule: { ...makeEvent().rule, id: 'late-rule' } }));
    await d.idle();
    expect((await deadLetters()).map((e) => [e.event.id, e.reason])).toEqual([
      ['during-close', 'closed'],
      ['late', 'closed'],
    ]);
  });

  it('close() gives up at its deadline and dead-letters what could not be sent', async () => {
    const hung = await receiver(() => 'hang');
    const { d } = dispatcher([createChannel({ type: 'webhook', url: hung.url })], { timeoutMs: 30_000 });
    await d.deliver(makeEvent({ id: 'in-flight' }));
    await d.deliver(makeEvent({ id: 'queued', rule: { ...makeEvent().rule, id: 'other' } }));
    const started = Date.now();
    const result = await d.close({ deadlineMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result).toMatchObject({ drained: false, delivered: 0, deadLettered: 2, pending: 0 });
    expect((await deadLetters()).map((e) => [e.event.id, e.reason])).toEqual([
      ['in-flight', 'shutdown'],
      ['queued', 'shutdown'],
    ]);
  });

  it('never throws from deliver(), even for a malformed event or a throwing filter', async () => {
    const throwing: AlertChannel = {
      name: 'throwing',
      type: 'custom',
      filter: () => {
        throw new Error('bad filter');
      },
      send: async () => {},
    };
    const { d, lines } = dispatcher([throwing]);
    await expect(d.deliver(makeEvent())).resolves.toBeUndefined();
    await expect(d.deliver(null as unknown as DriftEvent)).resolves.toBeUndefined();
    expect(lines.some((l) => l.includes('bad filter'))).toBe(true);
  });

  it('rejects two channels with the same name', () => {
    const a = createChannel({ type: 'webhook', url: 'http://127.0.0.1:9/a' });
    expect(() => new AlertDispatcher([a, a])).toThrow(/used twice/);
  });
});
