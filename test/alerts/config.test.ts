// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${env:NAME} is the alerts-file syntax under test.
/** Alert configuration: validation errors that name the field, alerts files, CLI flags, secret masking. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChannel, createChannels } from '../../src/alerts/create-channel.js';
import { channelConfigsFromFlags, channelsFromFlags } from '../../src/alerts/flags.js';
import { loadAlertsConfig } from '../../src/alerts/load-config.js';
import { maskSecrets, maskUrl } from '../../src/alerts/secrets.js';
import { createAlertDispatcher } from '../../src/alerts/setup.js';
import { VouchError } from '../../src/core/errors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-alerts-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): VouchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VouchError) return error;
    throw error;
  }
  throw new Error('expected a VouchError');
}

describe('createChannel', () => {
  it('names the field that is wrong', () => {
    expect(errorOf(() => createChannel({ type: 'webhook', url: 'ftp://x' })).message).toMatch(
      /^alert channel: url: /,
    );
    expect(errorOf(() => createChannel({ type: 'syslog', host: 'h', port: 70_000 })).message).toContain(
      'port',
    );
    expect(
      errorOf(() =>
        createChannel({ type: 'slack', url: 'https://hooks.slack.test/x', filter: { minSeverity: 'huge' } }),
      ).message,
    ).toContain('filter.minSeverity');
    expect(errorOf(() => createChannel({ type: 'webhook', url: 'http://x', bogus: 1 })).message).toContain(
      'bogus',
    );
    expect(errorOf(() => createChannel({ type: 'carrier-pigeon' })).message).toContain('type');
    expect(
      errorOf(() => createChannels([{ type: 'webhook', url: 'http://a' }, { type: 'email' }])).message,
    ).toContain('channels.1.');
  });

  it('names unnamed channels by type, numbering repeats, and rejects duplicate names', () => {
    const channels = createChannels([
      { type: 'webhook', url: 'http://127.0.0.1:1/a' },
      { type: 'webhook', url: 'http://127.0.0.1:1/b' },
      { type: 'syslog', host: '127.0.0.1' },
    ]);
    expect(channels.map((c) => c.name)).toEqual(['webhook', 'webhook-2', 'syslog']);
    expect(
      errorOf(() =>
        createChannels([
          { type: 'webhook', name: 'x', url: 'http://a' },
          { type: 'slack', name: 'x', url: 'http://b' },
        ]),
      ).message,
    ).toContain('channels.1.name');
  });
});

describe('loadAlertsConfig', () => {
  it('reads YAML with defaults, a relative dead-letter path and ${env:NAME} secrets', async () => {
    process.env.VOUCH_TEST_HOOK_SECRET = 'from-env-secret';
    const path = join(dir, 'alerts.yaml');
    await writeFile(
      path,
      [
        'version: 1',
        'deadLetter: state/dead.jsonl',
        'defaults:',
        '  timeoutMs: 3000',
        '  retry: { attempts: 4, initialDelayMs: 100 }',
        '  dedupeWindowMs: 0',
        'channels:',
        '  - type: webhook',
        '    name: siem',
        '    url: https://siem.example.test/hook',
        '    secret: ${env:VOUCH_TEST_HOOK_SECRET}',
        '    filter: { minSeverity: medium, rules: { exclude: ["*-informational"] } }',
        '  - type: pagerduty',
        '    routingKey: abcdef123456',
        '    filter: { kinds: [drift, resolved] }',
        '    retry: { attempts: 8 }',
        '  - type: syslog',
        '    protocol: tcp',
        '    host: 127.0.0.1',
        '    port: 6514',
        '    facility: security',
      ].join('\n'),
    );
    const config = await loadAlertsConfig(path);
    expect(config.channels.map((c) => [c.name, c.type])).toEqual([
      ['siem', 'webhook'],
      ['pagerduty', 'pagerduty'],
      ['syslog', 'syslog'],
    ]);
    expect(config.channels[0]?.secrets).toContain('from-env-secret');
    expect(config.channels[1]?.delivery).toEqual({ retry: { attempts: 8 } });
    expect(config.options).toEqual({
      timeoutMs: 3000,
      retry: { attempts: 4, initialDelayMs: 100 },
      dedupeWindowMs: 0,
      deadLetterPath: join(dir, 'state/dead.jsonl'),
    });
    delete process.env.VOUCH_TEST_HOOK_SECRET;
  });

  it('reads JSON too, and reports a missing environment variable by field', async () => {
    const path = join(dir, 'alerts.json');
    await writeFile(
      path,
      JSON.stringify({
        channels: [{ type: 'webhook', url: 'http://127.0.0.1:1/', secret: '${env:VOUCH_NOT_SET_X}' }],
      }),
    );
    await expect(loadAlertsConfig(path)).rejects.toThrow(
      /channels\.0\.secret: environment variable VOUCH_NOT_SET_X is not set/,
    );
  });

  it('reports invalid content with the file and the field', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'channels:\n  - type: slack\n    url: not a url\n');
    await expect(loadAlertsConfig(path)).rejects.toThrow(`alerts config ${path}: channels.0.url:`);
  });
});

describe('channelsFromFlags', () => {
  it('builds one channel per flag, in a stable order', () => {
    const configs = channelConfigsFromFlags({
      webhook: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'],
      webhookSecret: 'hmac-secret',
      slack: 'https://hooks.slack.test/services/T/B/X',
      smtp: 'smtps://alerts%40corp:p%40ss@mail.example.test?from=vouch@corp.test&to=a@corp.test,b@corp.test',
      pagerdutyKey: 'pd-routing-key',
      syslog: ['udp://127.0.0.1:5514', 'tcp://[::1]'],
      alertMinSeverity: 'medium',
    });
    expect(configs).toEqual([
      {
        type: 'webhook',
        url: 'http://127.0.0.1:1/a',
        secret: 'hmac-secret',
        filter: { minSeverity: 'medium' },
      },
      {
        type: 'webhook',
        url: 'http://127.0.0.1:1/b',
        secret: 'hmac-secret',
        filter: { minSeverity: 'medium' },
      },
      { type: 'slack', url: 'https://hooks.slack.test/services/T/B/X', filter: { minSeverity: 'medium' } },
      {
        type: 'email',
        host: 'mail.example.test',
        secure: true,
        auth: { user: 'alerts@corp', pass: 'p@ss' },
        from: 'vouch@corp.test',
        to: ['a@corp.test', 'b@corp.test'],
        filter: { minSeverity: 'medium' },
      },
      { type: 'pagerduty', routingKey: 'pd-routing-key', filter: { minSeverity: 'medium' } },
      { type: 'syslog', protocol: 'udp', host: '127.0.0.1', port: 5514, filter: { minSeverity: 'medium' } },
      { type: 'syslog', protocol: 'tcp', host: '::1', filter: { minSeverity: 'medium' } },
    ]);
    expect(
      channelsFromFlags({ webhook: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'] }).map((c) => c.name),
    ).toEqual(['webhook', 'webhook-2']);
  });

  it('names the flag in errors and never echoes credentials', () => {
    const smtp = errorOf(() => channelsFromFlags({ smtp: 'smtp://user:hunter2@mail.test:25' }));
    expect(smtp.message).toMatch(/^--smtp: no sender/);
    expect(smtp.message).not.toContain('hunter2');
    const syslog = errorOf(() => channelsFromFlags({ syslog: 'http://siem:514' }));
    expect(syslog.message).toBe('--syslog: expected udp:// or tcp://, got http://siem:514');
    const slack = errorOf(() => channelsFromFlags({ slack: 'hooks.slack.com/services/T/B/SECRET' }));
    expect(slack.message).toMatch(/^--slack: not a URL/);
    expect(slack.message).not.toContain('SECRET');
    expect(errorOf(() => channelsFromFlags({ webhookSecret: 'x' })).message).toBe(
      '--webhook-secret: needs --webhook',
    );
    expect(
      errorOf(() => channelsFromFlags({ syslog: 'udp://h', alertMinSeverity: 'loud' as 'high' })).message,
    ).toContain('--syslog.filter.minSeverity');
  });

  it('createAlertDispatcher merges file and flag channels, or returns undefined when there are none', async () => {
    expect(await createAlertDispatcher({})).toBeUndefined();
    const path = join(dir, 'alerts.yaml');
    await writeFile(path, 'channels:\n  - type: webhook\n    url: http://127.0.0.1:1/file\n');
    const dispatcher = await createAlertDispatcher({
      alertsConfig: path,
      webhook: 'http://127.0.0.1:1/flag',
    });
    expect(dispatcher?.channels.map((c) => c.name)).toEqual(['webhook', 'webhook-2']);
    await dispatcher?.close({ deadlineMs: 10 });
  });
});

describe('secret masking', () => {
  it('masks secrets and URL credentials', () => {
    expect(maskSecrets('key R0UTINGKEY123 failed', ['R0UTINGKEY123'])).toBe('key ******** failed');
    expect(maskSecrets('pass p%40ss', ['p@ss'])).toBe('pass ********');
    expect(maskUrl('https://hooks.slack.com/services/T/B/X')).toBe('https://hooks.slack.com/********');
    expect(maskUrl('udp://siem:514')).toBe('udp://siem:514');
    expect(maskUrl('::not a url::')).toBe('********');
  });
});
