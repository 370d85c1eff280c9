/**
 * unix:interface_object -> interface_item: one item per (interface, IPv4/IPv6 address), as oscap
 * walks getifaddrs(3). Verified formats: hardware_addr upper case; IPv4 inet_addr plain with
 * netmask and (IFF_BROADCAST only) broadcast_addr; IPv6 inet_addr as `address/prefix` with empty
 * netmask and broadcast; datatypes ipv4_address / ipv6_address; flags in oscap's fixed order.
 * Item order may differ from oscap's (it follows getifaddrs). Offline: not applicable.
 */
import type { NetworkInterface } from '../../../core/facts/fact-values.js';
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, makeItem, notApplicable, requiredEntity } from './common.js';

/** The IFF_* flags oscap reports, in its order. */
const FLAGS: [number, string][] = [
  [0x1, 'UP'],
  [0x2, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [0x8, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x20, 'NOTRAILERS'],
  [0x40, 'RUNNING'],
  [0x80, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x200, 'ALLMULTI'],
  [0x400, 'MASTER'],
  [0x800, 'SLAVE'],
  [0x1000, 'MULTICAST'],
  [0x2000, 'PORTSEL'],
  [0x4000, 'AUTOMEDIA'],
  [0x8000, 'DYNAMIC'],
];

/** ARPHRD_* names oscap knows; others give an empty type. */
const ARP_TYPES: Record<number, string> = {
  1: 'ARPHRD_ETHER',
  4: 'ARPHRD_PRONET',
  256: 'ARPHRD_SLIP',
  512: 'ARPHRD_PPP',
  772: 'ARPHRD_LOOPBACK',
  774: 'ARPHRD_FDDI',
  65535: 'ARPHRD_VOID',
};

export function interfaceFlags(flags: number): string[] {
  return FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

function itemsOf(iface: NetworkInterface): ProbeItem[] {
  return iface.addresses.map((address) => {
    const datatype = address.family === 'inet' ? 'ipv4_address' : 'ipv6_address';
    const inet = address.family === 'inet' ? address.address : `${address.address}/${address.prefixLength}`;
    return makeItem('unix', 'interface_item', [
      ['name', iface.name],
      ['type', ARP_TYPES[iface.arpType] ?? ''],
      ['hardware_addr', iface.hardwareAddress.toUpperCase()],
      ['inet_addr', { value: inet, datatype }],
      ['broadcast_addr', { value: address.broadcast ?? '', datatype }],
      ['netmask', { value: address.family === 'inet' ? (address.netmask ?? '') : '', datatype }],
      ['flag', interfaceFlags(iface.flags)],
    ]);
  });
}

export const interfaceProbe: OvalProbe = {
  family: 'unix',
  objectType: 'interface_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    if (!ctx.live) return notApplicable();
    const name = requiredEntity(object, 'name');
    const result = await ctx.fact({ kind: 'network-interfaces' });
    if (result.status !== 'ok') return factFailure(result, 'network interfaces');
    const items: ProbeItem[] = [];
    for (const iface of result.value.interfaces) {
      if (ctx.matches(name, iface.name)) items.push(...itemsOf(iface));
    }
    return complete(items);
  },
};
