import { describe, expect, it } from 'vitest';
import { applyDirPrecedence, SYSCTL_DIRS } from './dropins.js';
import { parseFstab } from './fstab.js';
import { parseIni } from './ini.js';
import { logicalLines, splitArgs } from './lines.js';
import { parseModprobe } from './modprobe.js';
import { expandPamService, pamArg, pamModuleName, splitPamFields } from './pam.js';
import { resolveSshdConfig } from './sshd.js';
import { normalizeSysctlKey, parseSysctl } from './sysctl.js';

describe('sshd', () => {
  it('keeps the first value, accumulates AllowUsers, ignores Match, expands Include in place', () => {
    const config = resolveSshdConfig([
      {
        path: '/etc/ssh/sshd_config',
        text: 'AllowUsers a\nInclude conf.d/*\nallowusers b\nPort 22\nMatch User x\nPort 2222\n',
      },
      { path: '/etc/ssh/conf.d/1', text: 'Port 8022\nMaxAuthTries "3"\n' },
    ]);
    expect(config.global.get('allowusers')?.value).toBe('a b');
    expect(config.global.get('port')?.value).toBe('8022 22');
    expect(config.global.get('maxauthtries')).toMatchObject({
      value: '3',
      file: '/etc/ssh/conf.d/1',
      line: 2,
    });
    expect(config.inMatch.map((s) => s.line)).toEqual([6]);
    expect(config.unmatchedIncludes).toEqual([]);
  });

  it('reports unmatched includes and stops runaway recursion', () => {
    const config = resolveSshdConfig([
      { path: '/etc/ssh/sshd_config', text: 'Include /etc/ssh/sshd_config\nInclude none/*\n' },
    ]);
    expect(config.unmatchedIncludes).toEqual(['none/*']);
    expect(config.problems[0]).toMatch(/deeper than 16/);
  });
});

describe('pam', () => {
  it('keeps bracketed controls together', () => {
    expect(splitPamFields('auth [success=1 default=ignore] pam_unix.so nullok')).toEqual([
      'auth',
      '[success=1 default=ignore]',
      'pam_unix.so',
      'nullok',
    ]);
  });

  it('normalises module names and arguments', () => {
    expect(pamModuleName('/lib/security/pam_unix.so')).toBe('pam_unix');
    expect(pamArg('retry=3')).toEqual({ name: 'retry', value: '3' });
    expect(pamArg('nullok')).toEqual({ name: 'nullok' });
  });

  it('survives include loops and reports missing includes', () => {
    const files: Record<string, string> = {
      a: '@include b\nauth required pam_a.so\n',
      b: '@include a\n@include gone\n',
    };
    const result = expandPamService('a', (name) =>
      files[name] ? { path: `/etc/pam.d/${name}`, text: files[name] } : undefined,
    );
    expect(result.lines.some((l) => l.module === 'pam_a.so')).toBe(true);
    expect(result.missingIncludes).toContain('gone');
  });
});

describe('sysctl', () => {
  it('treats slash and dot keys alike, keeping dots inside slash components', () => {
    expect(normalizeSysctlKey('net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normalizeSysctlKey('net/ipv4/conf/eth0.100/rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
    expect(normalizeSysctlKey('-kernel.yama.ptrace_scope')).toBe('kernel.yama.ptrace_scope');
  });

  it('parses assignments and skips comments', () => {
    expect(
      parseSysctl('# c\n; c\nkernel.a=1\n kernel.b = 2 3 \n', '/f').map((a) => [a.key, a.value, a.line]),
    ).toEqual([
      ['kernel.a', '1', 3],
      ['kernel.b', '2 3', 4],
    ]);
  });

  it('applies directory precedence by base name', () => {
    const files = [
      { path: '/etc/sysctl.d/b.conf', text: '' },
      { path: '/usr/lib/sysctl.d/a.conf', text: '' },
      { path: '/usr/lib/sysctl.d/b.conf', text: '' },
      { path: '/run/sysctl.d/a.conf', text: '' },
    ];
    expect(applyDirPrecedence(files, SYSCTL_DIRS).map((f) => f.path)).toEqual([
      '/run/sysctl.d/a.conf',
      '/etc/sysctl.d/b.conf',
    ]);
  });
});

describe('other formats', () => {
  it('modprobe: continuation and name folding', () => {
    const [cmd] = parseModprobe('install usb-storage \\\n /bin/true\n', '/f');
    expect(cmd).toMatchObject({ command: 'install', module: 'usb_storage', args: ['/bin/true'], line: 1 });
  });

  it('fstab: escapes, defaults, trailing slashes', () => {
    const [entry] = parseFstab('/dev/a /mnt/a\\040b/ ext4\n');
    expect(entry).toMatchObject({ mountPoint: '/mnt/a b', options: ['defaults'], line: 1 });
  });

  it('ini: sections, continuation, resets', () => {
    const parsed = parseIni('[A]\nX=1 \\\n 2\n[B]\nX=\n', '/f');
    expect(parsed.map((a) => [a.section, a.key, a.value, a.line])).toEqual([
      ['A', 'X', '1   2', 2],
      ['B', 'X', null, 5],
    ]);
  });

  it('lines: quoted arguments', () => {
    expect(splitArgs('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(logicalLines('a\\\nb\nc', true).map((l) => l.text)).toEqual(['a b', 'c']);
  });
});
