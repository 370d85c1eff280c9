/**
 * The format rules each probe copies from oscap 1.3.7, as tables (each row checked against oscap's
 * source or output; see the probes' doc comments).
 */
import { describe, expect, it } from 'vitest';
import { interfaceFlags } from '../../../../src/scap/probes/system/interface.js';
import { oscapMountOptions } from '../../../../src/scap/probes/system/partition.js';
import { splitRpmEvr } from '../../../../src/scap/probes/system/rpminfo.js';
import { encryptMethod } from '../../../../src/scap/probes/system/shadow.js';
import { splitSysctlValue } from '../../../../src/scap/probes/system/sysctl.js';
import { mountHolding, parseMountTable } from '../../../../src/targets/mount-table.js';

describe('sysctl value split', () => {
  it.each([
    ['2', true, ['2']],
    ['', true, ['']],
    ['32768\t60999', true, ['32768\t60999']],
    ['4\t4\t1\t7', true, ['4\t4\t1\t7']],
    ['line one\nline two', true, ['line one', 'line two']],
    ['a\n', true, ['a', '']],
    ['a\u0001b', true, ['a', 'b']],
    ['a b\rc', true, ['a b\rc']],
    ['a\u0001', false, ['a']],
    ['abc', false, ['abc']],
    ['x'.repeat(9000), false, ['x'.repeat(8191)]],
  ])('%j (newline-terminated %s)', (value, terminated, values) => {
    expect(splitSysctlValue(value, terminated)).toEqual(values);
  });
});

describe('shadow encrypt_method (oscap parse_enc_mth)', () => {
  it.each([
    ['$6$salt$hash', 'SHA-512'],
    ['$5$salt$hash', 'SHA-256'],
    ['$1$salt$hash', 'MD5'],
    ['$2a$10$hash', 'Blowfish'],
    ['$2$10$hash', 'Blowfish'],
    ['$2b$10$hash', undefined],
    ['$y$j9T$salt$hash', undefined],
    ['$md5$salt$hash', 'Sun MD5'],
    ['_J9..salt', 'BSDi'],
    ['*', 'DES'],
    ['!', 'DES'],
    ['!*', 'DES'],
    ['!$6$salt$hash', 'DES'],
    ['', 'DES'],
    ['abcdefghijklm', 'DES'],
  ])('%j -> %s', (password, method) => {
    expect(encryptMethod(password)).toBe(method);
  });
});

describe('partition mount_options', () => {
  it.each([
    [
      ['rw', 'relatime'],
      ['rw', 'relatime'],
      ['rw', 'relatime', 'bind'],
    ],
    [
      ['rw', 'noatime'],
      ['rw', 'noatime'],
      ['rw', 'noatime'],
    ],
    [
      ['rw', 'nosymfollow', 'relatime'],
      ['rw', 'nosymfollow', 'relatime'],
      ['rw', 'nosymfollow', 'relatime', 'bind', 'move'],
    ],
    // Offline: listed options from <root>/proc/mounts, extras from the host mount holding the root.
    [
      ['rw', 'noatime', 'nosymfollow'],
      ['rw', 'relatime'],
      ['rw', 'noatime', 'nosymfollow', 'bind'],
    ],
  ])('%j (statvfs %j)', (listed, statvfs, expected) => {
    expect(oscapMountOptions(listed, statvfs)).toEqual(expected);
  });
});

describe('mountHolding', () => {
  const table = parseMountTable(
    '/dev/vda / ext4 rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n/dev/vdb /tmp ext4 ro 0 0\n/dev/vdc /srv/data xfs rw 0 0\n',
  );
  it.each([
    ['/etc/passwd', '/dev/vda'],
    ['/tmp', '/dev/vdb'],
    ['/tmp/x/y', '/dev/vdb'],
    ['/tmpfoo', '/dev/vda'],
    ['/srv/data/a', '/dev/vdc'],
    ['/srv', '/dev/vda'],
  ])('%s is on %s', (path, device) => {
    expect(mountHolding(table, path)?.device).toBe(device);
  });
});

describe('interface flags in oscap order', () => {
  it.each([
    [0x1043, ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']],
    [0x49, ['UP', 'LOOPBACK', 'RUNNING']],
    [0x1003, ['UP', 'BROADCAST', 'MULTICAST']],
    [0x0, []],
  ])('%s', (flags, names) => {
    expect(interfaceFlags(flags)).toEqual(names);
  });
});

describe('rpm evr split', () => {
  it.each([
    ['1:8.7p1-38.el9', { epoch: '1', version: '8.7p1', release: '38.el9' }],
    ['5.1.8-6.el9', { epoch: '0', version: '5.1.8', release: '6.el9' }],
    ['1.0', { epoch: '0', version: '1.0', release: '' }],
  ])('%s', (evr, expected) => {
    expect(splitRpmEvr(evr)).toEqual(expected);
  });
});
