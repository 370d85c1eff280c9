/**
 * The ARF asset (AI 1.1 computing-device) only accepts values in fixed forms: IPv6 fully expanded
 * (eight groups, as oscap writes `0:0:0:0:0:0:0:1`), dotted-quad IPv4, colon-separated MACs, and
 * host names of word characters, dashes and dots. These helpers bring a target's values into those
 * forms, or return undefined for a value that has none (it then stays in the TestResult only).
 */

/** `::1` -> `0:0:0:0:0:0:0:1`; a zone (`%eth0`) is dropped; IPv4-mapped tails are converted. */
export function expandIpv6(address: string): string | undefined {
  let text = address.trim().replace(/%.*$/, '');
  const v4Tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const v4 = ipv4(v4Tail[2] ?? '');
    if (!v4) return undefined;
    const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
    text = `${v4Tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
}

export function ipv4(address: string): string | undefined {
  const text = address.trim();
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  return parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255) ? text : undefined;
}

export function macAddress(value: string): string | undefined {
  const text = value.trim();
  return /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(text) ? text : undefined;
}

export function hostName(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text && /^[\w-]+(\.[\w-]+)*$/.test(text) ? text : undefined;
}
