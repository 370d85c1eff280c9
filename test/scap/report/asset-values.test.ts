/** Target values brought into the forms the ARF asset (AI 1.1 schema) accepts. */
import { describe, expect, it } from 'vitest';
import { expandIpv6, hostName, ipv4, macAddress } from '../../../src/scap/report/asset-values.js';

describe('asset values', () => {
  it.each([
    ['::1', '0:0:0:0:0:0:0:1'],
    ['fd00::2', 'fd00:0:0:0:0:0:0:2'],
    ['fe80::fc:ff:fe00:1', 'fe80:0:0:0:fc:ff:fe00:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['2001:DB8:0000:0:1:0:0:1', '2001:db8:0:0:1:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::ffff:192.0.2.1', '0:0:0:0:0:ffff:c000:201'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4::5:6:7:8', undefined],
    ['12345::1', undefined],
    ['not an address', undefined],
  ])('IPv6 %s -> %s', (input, expected) => {
    expect(expandIpv6(input)).toBe(expected);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['256.0.0.1', undefined],
    ['01.2.3.4', undefined],
    ['1.2.3', undefined],
  ])('IPv4 %s -> %s', (input, expected) => {
    expect(ipv4(input)).toBe(expected);
  });

  it.each([
    ['02:FC:00:00:00:01', '02:FC:00:00:00:01'],
    ['02-fc-00-00-00-01', undefined],
    ['02:FC:00:00:00', undefined],
  ])('MAC %s -> %s', (input, expected) => {
    expect(macAddress(input)).toBe(expected);
  });

  it.each([
    ['vm', 'vm'],
    ['vm.example.org', 'vm.example.org'],
    ['bad host', undefined],
    ['trailing.', undefined],
    ['', undefined],
  ])('host name %j -> %s', (input, expected) => {
    expect(hostName(input)).toBe(expected);
  });
});
