/** /etc/fstab (and /proc/mounts, same syntax): six whitespace-separated fields, octal escapes. */
export interface FstabEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
  line: number;
  text: string;
}

/** fstab escapes spaces and tabs in paths as `\040`, `\011`. */
export function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
}

export function normalizeMountPoint(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export function parseFstab(text: string): FstabEntry[] {
  const out: FstabEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const [device, mountPoint, fsType, options] = t.split(/\s+/);
    if (!device || !mountPoint) return;
    out.push({
      device: unescapeOctal(device),
      mountPoint: normalizeMountPoint(unescapeOctal(mountPoint)),
      fsType: fsType ?? '',
      options: (options ?? 'defaults').split(',').filter((o) => o !== ''),
      line: index + 1,
      text: t,
    });
  });
  return out;
}
