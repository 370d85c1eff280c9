/**
 * sysctl.d syntax: `key = value`, `#`/`;` comments, a leading `-` means "ignore errors", and `/`
 * may separate key components instead of `.`.
 */
export interface SysctlAssignment {
  key: string;
  value: string;
  file: string;
  line: number;
  text: string;
}

/** `net/ipv4/ip_forward` and `net.ipv4.ip_forward` name the same parameter. */
export function normalizeSysctlKey(key: string): string {
  const k = key.trim().replace(/^-/, '');
  // When the first separator is '/', dots inside components are literal (e.g. interface "eth0.1").
  const slash = k.indexOf('/');
  const dot = k.indexOf('.');
  if (slash >= 0 && (dot < 0 || slash < dot))
    return k
      .split('/')
      .map((part) => part.replace(/\./g, '/'))
      .join('.');
  return k;
}

/** Whitespace runs in multi-valued parameters (e.g. tcp_rmem) compare as one space. */
export function normalizeSysctlValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export function parseSysctl(text: string, file: string): SysctlAssignment[] {
  const out: SysctlAssignment[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const eq = t.indexOf('=');
    if (eq < 0) return;
    out.push({
      key: normalizeSysctlKey(t.slice(0, eq)),
      value: normalizeSysctlValue(t.slice(eq + 1)),
      file,
      line: index + 1,
      text: t,
    });
  });
  return out;
}
