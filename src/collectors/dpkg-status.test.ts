import { describe, expect, it } from 'vitest';
import { isInstalledStatus, parseDpkgStatus, parseRpmQuery } from './dpkg-status.js';

const STATUS = `Package: openssh-server
Status: install ok installed
Priority: optional
Architecture: amd64
Version: 1:9.2p1-2+deb12u3
Description: secure shell (SSH) server
 multi-line description
 .
 continues here

Package: telnetd
Status: deinstall ok config-files
Version: 0.17-44

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9

Package: half
Status: install reinstreq half-installed
Version: 1

Package: trig
Status: install ok triggers-pending
Version: 2
`;

describe('dpkg status', () => {
  it('keeps installed packages only, with version and arch', () => {
    const packages = parseDpkgStatus(STATUS);
    expect(Object.keys(packages).sort()).toEqual(['libc6', 'openssh-server', 'trig']);
    expect(packages['openssh-server']).toEqual({
      name: 'openssh-server',
      version: '1:9.2p1-2+deb12u3',
      arch: 'amd64',
      status: 'install ok installed',
    });
    expect(packages.libc6?.arch).toBe('amd64');
  });

  it.each([
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok installed', true],
    ['install ok triggers-awaited', true],
    ['deinstall ok config-files', false],
    ['install ok unpacked', false],
    ['install ok half-configured', false],
    ['install reinstreq half-installed', false],
    ['purge ok not-installed', false],
    ['', false],
  ])('%j installed: %s', (status, installed) => {
    expect(isInstalledStatus(status)).toBe(installed);
  });

  it('parses CRLF files and an unterminated last paragraph', () => {
    expect(
      Object.keys(parseDpkgStatus('Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n')),
    ).toEqual(['a']);
  });
});

describe('rpm query output', () => {
  it('builds epoch:version-release', () => {
    expect(parseRpmQuery('openssh\t0\t8.7p1\t38.el9\tx86_64\nshadow-utils\t2\t4.9\t8.el9\tx86_64\n')).toEqual(
      {
        openssh: { name: 'openssh', version: '8.7p1-38.el9', arch: 'x86_64', status: 'installed' },
        'shadow-utils': { name: 'shadow-utils', version: '2:4.9-8.el9', arch: 'x86_64', status: 'installed' },
      },
    );
  });
});
