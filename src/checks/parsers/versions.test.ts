import { describe, expect, it } from 'vitest';
import { compareDebianVersions } from './dpkg-version.js';
import { compareRpmVersions } from './rpm-version.js';

const sign = (n: number) => Math.sign(n);

describe('compareDebianVersions (Debian policy ordering)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0-1', '1.0-2', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0+b1', -1],
    ['1.0', '1.0a', -1],
    ['1.0a', '1.0+', -1],
    ['1:0.1', '9.9', 1],
    ['0:1.0', '1.0', 0],
    ['2.10', '2.9', 1],
    ['1.001', '1.1', 0],
    ['1.0-1', '1.0', 1],
    ['9.2p1-2+deb12u3', '9.2p1-2', 1],
    ['1.2.3-1ubuntu1', '1.2.3-1', 1],
    ['1.2.3-1~deb12u1', '1.2.3-1', -1],
  ])('%s vs %s', (a, b, expected) => {
    expect(sign(compareDebianVersions(a, b))).toBe(expected);
    expect(sign(compareDebianVersions(b, a))).toBe(-expected || 0);
  });
});

describe('compareRpmVersions (rpmvercmp)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['1.0a', '1.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0-1.el9', '1.0-2.el9', -1],
    ['1:1.0', '2.0', 1],
    ['8.7p1-38.el9', '8.7p1', 0],
    ['1.10', '1.9', 1],
    ['1.a', '1.1', -1],
  ])('%s vs %s', (a, b, expected) => {
    expect(sign(compareRpmVersions(a, b))).toBe(expected);
    expect(sign(compareRpmVersions(b, a))).toBe(-expected || 0);
  });
});
