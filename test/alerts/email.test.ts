/** The email channel against a real SMTP server (smtp-server) on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/alerts/create-channel.js';
import { DeliveryError } from '../../src/alerts/delivery-error.js';
import { channelsFromFlags } from '../../src/alerts/flags.js';
import { decodeQuotedPrintable, makeEvent, type SmtpReceiver, startSmtpReceiver } from './receivers.js';

let smtp: SmtpReceiver | undefined;

afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

/** The header block of a raw message, folded lines joined. */
function headers(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

describe('email channel', () => {
  it('sends a plain-text and an HTML part with escaped values, authenticating with the configured user', async () => {
    smtp = await startSmtpReceiver();
    const channel = createChannel({
      type: 'email',
      host: '127.0.0.1',
      port: smtp.port,
      auth: { user: 'alerts', pass: 'smtp-pa55' },
      from: 'vouch@example.test',
      to: ['ops@example.test', 'sec@example.test'],
    });
    const event = makeEvent({ message: 'found <script>alert(1)</script> & more' });
    await channel.send(event, AbortSignal.timeout(5_000));
    await channel.close?.();

    expect(smtp.auths).toEqual([{ username: 'alerts', password: 'smtp-pa55' }]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('vouch@example.test');
    expect(mail.to).toEqual(['ops@example.test', 'sec@example.test']);
    const h = headers(mail.raw);
    expect(h.subject).toBe('[Vouch] Drift (high): SSH root login is disabled on web-1');
    expect(h.from).toBe('vouch@example.test');
    expect(h.to).toBe('ops@example.test, sec@example.test');
    expect(h['x-vouch-event-id']).toBe('evt-1');
    expect(h['content-type']).toMatch(/^multipart\/alternative/);

    const body = decodeQuotedPrintable(mail.raw);
    expect(body).toContain('Content-Type: text/plain');
    expect(body).toContain('Content-Type: text/html');
    // Plain text carries the message as is; HTML only ever its escaped form.
    expect(body).toContain('Message: found <script>alert(1)</script> & more');
    expect(body).toContain('found &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(body).toContain('Transition: pass -> fail');
    expect(body).toContain('file /etc/ssh/sshd_config:12: expected no, found yes');
    const html = body.slice(body.indexOf('Content-Type: text/html'));
    expect(html).not.toContain('<script>');
  });

  it('keeps the subject on one line whatever the rule title holds', async () => {
    smtp = await startSmtpReceiver();
    const channel = createChannel({
      type: 'email',
      host: '127.0.0.1',
      port: smtp.port,
      from: 'a@x.test',
      to: 'b@x.test',
    });
    const base = makeEvent();
    await channel.send(
      { ...base, rule: { ...base.rule, title: 'evil\r\nBcc: victim@x.test' } },
      AbortSignal.timeout(5_000),
    );
    await channel.close?.();
    const h = headers(smtp.mails[0]!.raw);
    expect(h.subject).toBe('[Vouch] Drift (high): evil Bcc: victim@x.test on web-1');
    expect(h.bcc).toBeUndefined();
    expect(smtp.mails[0]!.to).toEqual(['b@x.test']);
  });

  it('reports a 5xx SMTP answer as a permanent failure', async () => {
    smtp = await startSmtpReceiver({ rejectWith: 554 });
    const channel = createChannel({
      type: 'email',
      host: '127.0.0.1',
      port: smtp.port,
      from: 'a@x.test',
      to: 'b@x.test',
    });
    const error = await channel.send(makeEvent(), AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    await channel.close?.();
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(false);
  });

  it('works from the --smtp flag URL', async () => {
    smtp = await startSmtpReceiver();
    const [channel] = channelsFromFlags({
      smtp: `smtp://ops%40corp:s%3Acret@127.0.0.1:${smtp.port}?from=vouch@corp.test`,
      emailTo: ['a@corp.test', 'b@corp.test'],
    });
    await channel!.send(makeEvent(), AbortSignal.timeout(5_000));
    await channel!.close?.();
    expect(smtp.auths).toEqual([{ username: 'ops@corp', password: 's:cret' }]);
    expect(smtp.mails[0]?.to).toEqual(['a@corp.test', 'b@corp.test']);
  });
});
