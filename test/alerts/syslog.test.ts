/** Syslog (RFC 5424 + CEF) over UDP and TCP to real listeners on 127.0.0.1, and the CEF escaping rules. */
import { afterEach, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/alerts/create-channel.js';
import { cefMessage, escapeCefHeader, escapeCefValue } from '../../src/alerts/format/cef.js';
import { octetCountingFrame, truncateBytes } from '../../src/alerts/format/rfc5424.js';
import { VOUCH_VERSION } from '../../src/alerts/version.js';
import {
  makeEvent,
  parseOctetFrames,
  startTcpListener,
  startUdpListener,
  type TcpListener,
  type UdpListener,
  waitUntil,
} from './receivers.js';

let listeners: Array<UdpListener | TcpListener> = [];

afterEach(async () => {
  await Promise.all(listeners.map((l) => l.close()));
  listeners = [];
});

// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) (.*)$/s;

function parse5424(line: string) {
  const m = RFC5424.exec(line);
  if (!m) throw new Error(`not RFC 5424: ${line}`);
  return {
    pri: Number(m[1]),
    timestamp: m[2],
    hostname: m[3],
    app: m[4],
    procId: m[5],
    msgId: m[6],
    sd: m[7],
    msg: m[8] ?? '',
  };
}

const tricky = () =>
  makeEvent({
    message: 'a=b\\c|d\nnext line',
    rule: {
      id: 'rule|with-pipe',
      title: 'Title with | pipe and \\ backslash',
      severity: 'medium',
      references: { cis: ['1.1'] },
    },
  });

describe('syslog channel over UDP', () => {
  it('sends one RFC 5424 datagram whose message is CEF', async () => {
    const udp = await startUdpListener();
    listeners.push(udp);
    const channel = createChannel({
      type: 'syslog',
      protocol: 'udp',
      host: '127.0.0.1',
      port: udp.port,
      facility: 'local4',
      hostname: 'vouch-host',
    });
    await channel.send(tricky(), AbortSignal.timeout(5_000));
    await waitUntil(() => udp.messages.length === 1, 5_000, 'a syslog datagram');

    const line = parse5424(udp.messages[0]!);
    expect(line.pri).toBe(20 * 8 + 4); // local4, warning (medium drift)
    expect(Number.isNaN(Date.parse(line.timestamp!))).toBe(false);
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line.hostname).toBe('vouch-host');
    expect(line.app).toBe('vouch');
    expect(line.procId).toBe(String(process.pid));
    expect(line.msgId).toBe('drift');
    expect(line.sd).toBe('-');
    expect(
      line.msg.startsWith(
        `CEF:0|Vouch|Vouch|${VOUCH_VERSION}|rule\\|with-pipe|Title with \\| pipe and \\\\ backslash|6|`,
      ),
    ).toBe(true);
    expect(line.msg).toContain('msg=a\\=b\\\\c|d\\nnext line');
    expect(line.msg).toContain('externalId=evt-1');
    expect(line.msg).toContain('cs1Label=previousStatus cs1=pass');
    expect(line.msg).toContain('outcome=fail');
    expect(line.msg).toContain('dhost=web-1');
    expect(line.msg).toContain(`rt=${Date.parse('2026-11-26T00:00:00.250Z')}`);
    expect(line.msg).not.toContain('\n');
  });

  it('marks resolved events informational (syslog 6, CEF 1)', async () => {
    const udp = await startUdpListener();
    listeners.push(udp);
    const channel = createChannel({ type: 'syslog', host: '127.0.0.1', port: udp.port });
    await channel.send(
      makeEvent({ kind: 'resolved', previousStatus: 'fail', status: 'pass' }),
      AbortSignal.timeout(5_000),
    );
    await waitUntil(() => udp.messages.length === 1, 5_000, 'a syslog datagram');
    const line = parse5424(udp.messages[0]!);
    expect(line.pri).toBe(16 * 8 + 6); // local0 by default, informational
    expect(line.msgId).toBe('resolved');
    expect(line.msg).toMatch(
      /^CEF:0\|Vouch\|Vouch\|[^|]+\|sshd-permit-root-login\|SSH root login is disabled\|1\|/,
    );
  });
});

describe('syslog channel over TCP', () => {
  it('frames each message with RFC 6587 octet counting', async () => {
    const tcp = await startTcpListener();
    listeners.push(tcp);
    const channel = createChannel({
      type: 'syslog',
      protocol: 'tcp',
      host: '127.0.0.1',
      port: tcp.port,
      hostname: 'h',
    });
    const event = makeEvent({ message: 'ünïcödé message = counted in octets' });
    await channel.send(event, AbortSignal.timeout(5_000));
    await channel.send(makeEvent({ id: 'evt-2' }), AbortSignal.timeout(5_000));
    await waitUntil(() => tcp.streams.length === 2, 5_000, 'two TCP syslog connections');

    const frames = tcp.streams.flatMap((stream) => parseOctetFrames(stream));
    expect(frames).toHaveLength(2);
    const first = parse5424(frames.find((f) => f.includes('externalId=evt-1'))!);
    expect(first.pri).toBe(16 * 8 + 3); // high drift: err
    expect(first.hostname).toBe('h');
    expect(first.msg).toContain('msg=ünïcödé message \\= counted in octets');
    expect(frames.some((f) => f.includes('externalId=evt-2'))).toBe(true);
  });

  it('fails (retryably) when nothing listens', async () => {
    const tcp = await startTcpListener();
    const port = tcp.port;
    await tcp.close();
    const channel = createChannel({ type: 'syslog', protocol: 'tcp', host: '127.0.0.1', port });
    await expect(channel.send(makeEvent(), AbortSignal.timeout(5_000))).rejects.toMatchObject({
      retryable: true,
    });
  });
});

/** Splits a CEF line on its seven unescaped header pipes, unescaping header fields as a SIEM would. */
function splitCefHeader(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let i = 0;
  for (; i < line.length && fields.length < 7; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) current += line[++i];
    else if (ch === '|') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(line.slice(i));
  return fields;
}

describe('CEF and RFC 5424 formatting', () => {
  it('escapes header fields and extension values per the CEF rules', () => {
    expect(escapeCefHeader('a|b\\c=d\ne')).toBe('a\\|b\\\\c=d e');
    expect(escapeCefValue('a|b\\c=d\r\ne\rf')).toBe('a|b\\\\c\\=d\\ne\\rf');
  });

  it('never puts raw newlines, unescaped = or unknown keys into the extension', () => {
    const cef = cefMessage(tricky());
    const fields = splitCefHeader(cef);
    expect(fields.slice(0, 7)).toEqual([
      'CEF:0',
      'Vouch',
      'Vouch',
      VOUCH_VERSION,
      'rule|with-pipe',
      'Title with | pipe and \\ backslash',
      '6',
    ]);
    const extension = fields[7] ?? '';
    expect(cef).not.toMatch(/[\r\n]/);
    // Every key=value pair starts with a known key; values only contain escaped '='.
    const keys = [...extension.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].map((m) => m[1]);
    expect(keys).toEqual(expect.arrayContaining(['rt', 'externalId', 'msg', 'cs1', 'cs1Label']));
    for (const key of keys)
      expect(key).toMatch(/^(rt|start|externalId|cat|outcome|dhost|msg|filePath|cs[1-6](Label)?)$/);
  });

  it('counts octets, not characters, and cuts messages on character boundaries', () => {
    expect(octetCountingFrame('é').toString('utf8')).toBe('2 é');
    expect(truncateBytes('aé', 2)).toBe('a');
    expect(truncateBytes('ab\\\\cd', 4)).toBe('ab\\\\');
    expect(truncateBytes('abc\\=d', 4)).toBe('abc');
  });
});
