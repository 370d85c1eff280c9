/**
 * `network-interfaces`: interfaces with an IPv4/IPv6 address, as getifaddrs(3) lists them (what
 * OVAL's interface probe reads). Link data comes from /sys/class/net through the transport; the
 * addresses from the kernel via Node, so only the local host can answer.
 */
import { networkInterfaces } from 'node:os';
import type { FactResult } from '../core/facts/fact-result.js';
import type { InterfaceAddress, NetworkInterface } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, offline, type SourceRecorder } from './collector.js';
import { readText } from './read-text.js';

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_RUNNING = 0x40;

async function sysValue(sources: SourceRecorder, name: string, file: string): Promise<string> {
  const read = await readText(sources, `/sys/class/net/${name}/${file}`, 4096);
  return (read.text ?? '').trim();
}

/** IPv4 broadcast the kernel derives by default: the host bits of the address all set. */
function broadcastOf(address: string, netmask: string): string | undefined {
  const a = address.split('.').map(Number);
  const m = netmask.split('.').map(Number);
  if (a.length !== 4 || m.length !== 4) return undefined;
  return a.map((byte, i) => (byte | (~(m[i] ?? 0) & 0xff)) & 0xff).join('.');
}

export function collectNetworkInterfaces(transport: Transport): Promise<FactResult<'network-interfaces'>> {
  return collect(transport, async (sources) => {
    if (!transport.live) return offline(transport, 'the network interface list');
    if (transport.kind !== 'local') {
      return {
        status: 'unavailable',
        reason: `interface addresses are only read on the local host, not ${transport.description}`,
      };
    }
    const interfaces: NetworkInterface[] = [];
    for (const [name, addresses] of Object.entries(networkInterfaces())) {
      // An alias label (eth0:1) has no /sys entry of its own: its link data is the device's.
      const device = name.split(':')[0] ?? name;
      const sysFlags = Number.parseInt(await sysValue(sources, device, 'flags'), 16) || 0;
      const operstate = await sysValue(sources, device, 'operstate');
      // SIOCGIFFLAGS adds IFF_RUNNING when the link is operationally up; /sys/.../flags does not.
      const running = (sysFlags & IFF_UP) !== 0 && (operstate === 'up' || operstate === 'unknown');
      const flags = running ? sysFlags | IFF_RUNNING : sysFlags;
      const list: InterfaceAddress[] = [];
      for (const entry of addresses ?? []) {
        const prefixLength = Number((entry.cidr ?? '').split('/')[1] ?? 0);
        if (entry.family === 'IPv4') {
          const address: InterfaceAddress = {
            family: 'inet',
            address: entry.address,
            netmask: entry.netmask,
            prefixLength,
          };
          const broadcast =
            (flags & IFF_BROADCAST) !== 0 ? broadcastOf(entry.address, entry.netmask) : undefined;
          if (broadcast !== undefined) address.broadcast = broadcast;
          list.push(address);
        } else {
          list.push({ family: 'inet6', address: entry.address, prefixLength });
        }
      }
      interfaces.push({
        name,
        arpType: Number(await sysValue(sources, device, 'type')) || 0,
        hardwareAddress: await sysValue(sources, device, 'address'),
        flags,
        addresses: list,
      });
    }
    return { status: 'ok', value: { interfaces }, volatile: true };
  });
}
