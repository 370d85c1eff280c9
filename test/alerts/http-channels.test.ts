/** Webhook, Slack and PagerDuty channels against a real HTTP server on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/alerts/create-channel.js';
import { DeliveryError } from '../../src/alerts/delivery-error.js';
import { signPayload, verifySignature } from '../../src/alerts/signature.js';
import type { DriftEvent } from '../../src/core/drift.js';
import { type HttpReceiver, makeEvent, type Responder, startHttpReceiver } from './receivers.js';

interface PagerDutyBody {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload: { summary: string; severity: string; custom_details: Record<string, unknown> };
}

let receiver: HttpReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function receive(respond?: Responder): Promise<HttpReceiver> {
  receiver = await startHttpReceiver(respond);
  return receiver;
}

const signal = () => AbortSignal.timeout(5_000);

describe('webhook channel', () => {
  it('POSTs the event as JSON with a verifiable HMAC signature over timestamp and body', async () => {
    const server = await receive();
    const channel = createChannel({
      type: 'webhook',
      url: server.url,
      secret: 's3cret-key',
      headers: { 'X-Team': 'ops' },
    });
    const event = makeEvent();
    await channel.send(event, signal());

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-team']).toBe('ops');
    expect(request.headers['x-vouch-event-id']).toBe('evt-1');
    expect(JSON.parse(request.body) as DriftEvent).toEqual(event);

    const timestamp = request.headers['x-vouch-timestamp'] as string;
    const signature = request.headers['x-vouch-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signature).toBe(signPayload('s3cret-key', Number(timestamp), request.body));
    expect(verifySignature({ secret: 's3cret-key', body: request.body, timestamp, signature })).toBe(true);
    // A wrong secret, a tampered body or a replayed (stale) timestamp all fail verification.
    expect(verifySignature({ secret: 'other', body: request.body, timestamp, signature })).toBe(false);
    expect(verifySignature({ secret: 's3cret-key', body: `${request.body} `, timestamp, signature })).toBe(
      false,
    );
    expect(
      verifySignature({
        secret: 's3cret-key',
        body: request.body,
        timestamp,
        signature,
        nowSeconds: Number(timestamp) + 301,
      }),
    ).toBe(false);
  });

  it('sends no signature header without a secret', async () => {
    const server = await receive();
    await createChannel({ type: 'webhook', url: server.url }).send(makeEvent(), signal());
    expect(server.requests[0]?.headers['x-vouch-signature']).toBeUndefined();
    expect(server.requests[0]?.headers['x-vouch-timestamp']).toMatch(/^\d+$/);
  });

  it('classifies 5xx and 429 as retryable, 4xx as permanent', async () => {
    const statuses = [503, 429, 400];
    const server = await receive((_, i) => ({ status: statuses[i] ?? 200, headers: { 'retry-after': '2' } }));
    const channel = createChannel({ type: 'webhook', url: server.url });
    const outcomes: DeliveryError[] = [];
    for (let i = 0; i < 3; i++) {
      const error = await channel.send(makeEvent(), signal()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      outcomes.push(error as DeliveryError);
    }
    expect(outcomes.map((e) => e.retryable)).toEqual([true, true, false]);
    expect(outcomes[1]?.retryAfterMs).toBe(2_000);
  });
});

describe('slack channel', () => {
  it('posts text and blocks naming rule, severity, transition and evidence, escaped for mrkdwn', async () => {
    const server = await receive();
    const channel = createChannel({ type: 'slack', url: server.url });
    const event = makeEvent({
      message: 'found <script> & friends',
      evidence: [{ source: 'file', resource: '/etc/a<b>', found: 'x&y' }],
    });
    await channel.send(event, signal());

    const body = JSON.parse(server.requests[0]!.body) as {
      text: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(body.text).toContain('SSH root login is disabled');
    expect(body.text).toContain('pass -&gt; fail'); // Slack renders &gt; as >
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Drift: SSH root login is disabled' },
    });
    const all = JSON.stringify(body.blocks);
    expect(all).toContain('sshd-permit-root-login');
    expect(all).toContain('*Severity*\\nhigh');
    expect(all).toContain('*Transition*\\npass -&gt; fail');
    expect(all).toContain('*Evidence*');
    expect(all).toContain('found &lt;script&gt; &amp; friends');
    expect(all).toContain('/etc/a&lt;b&gt;');
    expect(all).not.toContain('<script>');
  });
});

describe('pagerduty channel', () => {
  it('triggers on drift and resolves on resolved, with one dedup_key per target and rule', async () => {
    const server = await receive(() => ({ status: 202, body: '{"status":"success"}' }));
    const channel = createChannel({ type: 'pagerduty', routingKey: 'R0UTINGKEY123', url: server.url });
    await channel.send(makeEvent(), signal());
    await channel.send(
      makeEvent({ id: 'evt-2', kind: 'resolved', previousStatus: 'fail', status: 'pass' }),
      signal(),
    );
    await channel.send(
      makeEvent({ id: 'evt-3', kind: 'error', previousStatus: 'pass', status: 'error' }),
      signal(),
    );

    const [trigger, resolve, error] = server.requests.map((r) => JSON.parse(r.body) as PagerDutyBody);
    expect(trigger).toMatchObject({
      routing_key: 'R0UTINGKEY123',
      event_action: 'trigger',
      dedup_key: 'vouch:local:web-1:this machine:sshd-permit-root-login',
      payload: {
        source: 'web-1',
        severity: 'critical',
        timestamp: '2026-11-26T00:00:00.250Z',
        component: 'sshd-permit-root-login',
        class: 'drift',
      },
    });
    expect(trigger?.payload.summary).toContain('SSH root login is disabled');
    expect(trigger?.payload.custom_details).toMatchObject({
      event_id: 'evt-1',
      previous_status: 'pass',
      status: 'fail',
      evidence: ['file /etc/ssh/sshd_config:12: expected no, found yes, PermitRootLogin yes'],
    });
    expect(resolve).toEqual({
      routing_key: 'R0UTINGKEY123',
      event_action: 'resolve',
      dedup_key: trigger?.dedup_key,
    });
    expect(error?.event_action).toBe('trigger');
    expect(error?.dedup_key).toBe(trigger?.dedup_key);
  });

  it('maps rule severity to PagerDuty severity', async () => {
    const server = await receive(() => ({ status: 202 }));
    const channel = createChannel({ type: 'pagerduty', routingKey: 'key-abcdef', url: server.url });
    for (const severity of ['high', 'medium', 'low', 'info', 'unknown'] as const) {
      const base = makeEvent();
      await channel.send({ ...base, rule: { ...base.rule, severity } }, signal());
    }
    expect(
      server.requests.map((r) => (JSON.parse(r.body) as { payload: { severity: string } }).payload.severity),
    ).toEqual(['critical', 'error', 'warning', 'info', 'warning']);
  });

  it('sends nothing for a change to a status that says nothing about compliance', async () => {
    const server = await receive();
    const channel = createChannel({ type: 'pagerduty', routingKey: 'key-abcdef', url: server.url });
    await channel.send(makeEvent({ kind: 'changed', previousStatus: 'fail', status: 'unknown' }), signal());
    await channel.send(makeEvent({ kind: 'changed', previousStatus: 'error', status: 'pass' }), signal());
    expect(server.requests).toHaveLength(1);
    expect((JSON.parse(server.requests[0]!.body) as { event_action: string }).event_action).toBe('resolve');
  });
});
