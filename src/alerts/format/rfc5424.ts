/**
 * RFC 5424 syslog lines and the RFC 6587 octet-counting frame for stream transports. Header fields are
 * restricted to printable US-ASCII without spaces (the RFC's PRINTUSASCII) and cut to their maximum
 * lengths; structured data is the NILVALUE because the CEF message already carries every field and
 * structured data would need a registered enterprise number.
 */
import type { DriftEvent } from '../../core/drift.js';
import type { Severity } from '../../core/results.js';

export const FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  'solaris-cron': 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type Facility = keyof typeof FACILITIES;

const SYSLOG_SEVERITY: Record<Severity, number> = { high: 3, medium: 4, low: 5, info: 6, unknown: 5 };

/** err/warning/notice/info by rule severity; resolved events are informational, evaluation errors err. */
export function syslogSeverity(event: DriftEvent): number {
  if (event.kind === 'resolved') return 6;
  if (event.kind === 'error') return 3;
  return SYSLOG_SEVERITY[event.rule.severity];
}

/** PRINTUSASCII (33-126) only, at most `max` characters, the NILVALUE when nothing is left. */
export function headerField(value: string | undefined, max: number): string {
  const clean = (value ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

export interface SyslogHeader {
  facility: Facility;
  severity: number;
  /** RFC 3339 time of the message. */
  timestamp: string;
  hostname: string | undefined;
  appName: string;
  procId: string;
  msgId: string;
}

export function rfc5424Line(header: SyslogHeader, message: string): string {
  const pri = FACILITIES[header.facility] * 8 + header.severity;
  return [
    `<${pri}>1`,
    headerField(header.timestamp, 64),
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    headerField(header.msgId, 32),
    '-',
    message,
  ].join(' ');
}

/** RFC 6587 section 3.4.1: `MSG-LEN SP SYSLOG-MSG`, the length in octets. */
export function octetCountingFrame(line: string): Buffer {
  const body = Buffer.from(line, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/**
 * Cuts a message to `maxBytes` octets without splitting a UTF-8 sequence or leaving a lone escaping
 * backslash at the end (which would escape nothing and confuse CEF parsers).
 */
export function truncateBytes(line: string, maxBytes: number): string {
  const buf = Buffer.from(line, 'utf8');
  if (buf.length <= maxBytes) return line;
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  let text = buf.subarray(0, end).toString('utf8');
  const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
  if (trailing % 2 === 1) text = text.slice(0, -1);
  return text;
}
