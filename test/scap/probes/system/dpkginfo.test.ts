/**
 * dpkginfo over a real status database in a temp root, through the root-dir transport and the real
 * collectors. Expected items are what oscap-chroot 1.3.7 reported for the same status paragraphs
 * (checked by hand on a read-only bind mount; the live differential test repeats it on this host).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpkginfoProbe, splitDebianVersion } from '../../../../src/scap/probes/system/dpkginfo.js';
import { openRootDirTransport } from '../../../../src/targets/index.js';
import { makeTree, removeTree } from '../../../../src/targets/temp-tree.js';
import { contextFor, object, plainCollection } from './helpers.js';

const STATUS = [
  ['dpkg', 'install ok installed', 'amd64', '1.21.22'],
  ['p-installed', 'install ok installed', 'amd64', '1.0-1'],
  ['p-halfconf', 'install ok half-configured', 'amd64', '1.0-1'],
  ['p-unpacked', 'install ok unpacked', 'amd64', '2:1.0'],
  ['p-halfinst', 'install reinstreq half-installed', 'amd64', '1.0-1'],
  ['p-config', 'deinstall ok config-files', 'amd64', '1.0-1'],
  ['p-trigpend', 'install ok triggers-pending', 'amd64', '1.0-1'],
  ['p-hold', 'hold ok installed', 'amd64', '3:1.0-2-3'],
  ['p-foreign', 'install ok installed', 'i386', '1.0-1'],
  ['p-both', 'install ok installed', 'i386', '1.0-1i'],
  ['p-both', 'install ok installed', 'amd64', '1.0-1a'],
  ['p-allarch', 'install ok installed', 'all', '0.5~rc1'],
  ['p-tilde', 'install ok installed', 'amd64', '1.0~beta-1~bpo12+1'],
]
  .map(
    ([name, status, arch, version]) =>
      `Package: ${name}\nStatus: ${status}\nArchitecture: ${arch}\nVersion: ${version}\n`,
  )
  .join('\n')
  .concat('\nPackage: p-notinst\nStatus: purge ok not-installed\nArchitecture: amd64\n');

const item = (name: string, arch: string, epoch: string, release: string, version: string, evr: string) => ({
  name: [name],
  arch: [arch],
  epoch: [epoch],
  release: [release],
  version: [version],
  evr: [evr],
});

const CASES: { name: string; lookup: string; items: ReturnType<typeof item>[] }[] = [
  {
    name: 'installed',
    lookup: 'p-installed',
    items: [item('p-installed', 'amd64', '0', '1', '1.0', '0:1.0-1')],
  },
  {
    name: 'half-configured counts (APT CurrentVer)',
    lookup: 'p-halfconf',
    items: [item('p-halfconf', 'amd64', '0', '1', '1.0', '0:1.0-1')],
  },
  {
    name: 'unpacked, epoch, no revision',
    lookup: 'p-unpacked',
    items: [item('p-unpacked', 'amd64', '2', '', '1.0', '2:1.0')],
  },
  {
    name: 'half-installed counts',
    lookup: 'p-halfinst',
    items: [item('p-halfinst', 'amd64', '0', '1', '1.0', '0:1.0-1')],
  },
  { name: 'config-files does not', lookup: 'p-config', items: [] },
  { name: 'not-installed does not', lookup: 'p-notinst', items: [] },
  {
    name: 'triggers-pending counts',
    lookup: 'p-trigpend',
    items: [item('p-trigpend', 'amd64', '0', '1', '1.0', '0:1.0-1')],
  },
  {
    name: 'hold; split at the first hyphen',
    lookup: 'p-hold',
    items: [item('p-hold', 'amd64', '3', '2-3', '1.0', '3:1.0-2-3')],
  },
  {
    name: 'foreign-only package',
    lookup: 'p-foreign',
    items: [item('p-foreign', 'i386', '0', '1', '1.0', '0:1.0-1')],
  },
  {
    name: 'native arch preferred',
    lookup: 'p-both',
    items: [item('p-both', 'amd64', '0', '1a', '1.0', '0:1.0-1a')],
  },
  { name: 'name:arch', lookup: 'p-both:i386', items: [item('p-both', 'i386', '0', '1i', '1.0', '0:1.0-1i')] },
  {
    name: 'arch all',
    lookup: 'p-allarch',
    items: [item('p-allarch', 'all', '0', '', '0.5~rc1', '0:0.5~rc1')],
  },
  {
    name: 'tilde',
    lookup: 'p-tilde',
    items: [item('p-tilde', 'amd64', '0', '1~bpo12+1', '1.0~beta', '0:1.0~beta-1~bpo12+1')],
  },
  { name: 'unknown package', lookup: 'telnet', items: [] },
];

describe('dpkginfo probe (temp root, root-dir transport)', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTree({ '/var/lib/dpkg/status': STATUS });
  });
  afterAll(async () => removeTree(root));

  it.each(CASES)('$name', async ({ lookup, items }) => {
    const ctx = contextFor(await openRootDirTransport(root));
    const collection = await createDpkginfoProbe().collect(
      object('linux', 'dpkginfo_object', { name: { value: lookup } }),
      ctx,
    );
    expect(plainCollection(collection)).toEqual({ flag: 'complete', items, messages: [] });
  });

  it('evr datatype follows the schema version (evr_string for 5.11, debian_evr_string from 5.11.1)', async () => {
    const ctx = contextFor(await openRootDirTransport(root));
    const obj = object('linux', 'dpkginfo_object', { name: { value: 'p-installed' } });
    const old = await createDpkginfoProbe().collect(obj, ctx);
    const newer = await createDpkginfoProbe({ schemaVersion: '5.11.2' }).collect(obj, ctx);
    expect(old.items[0]?.fields.evr?.[0]?.datatype).toBe('evr_string');
    expect(newer.items[0]?.fields.evr?.[0]?.datatype).toBe('debian_evr_string');
  });

  it('pattern match applies to every installed name (departure: oscap looks the text up literally)', async () => {
    const ctx = contextFor(await openRootDirTransport(root));
    const collection = await createDpkginfoProbe().collect(
      object('linux', 'dpkginfo_object', { name: { value: '^p-(both|tilde)$', operation: 'pattern match' } }),
      ctx,
    );
    expect(
      collection.items.map((i) => `${i.fields.name?.[0]?.value}/${i.fields.arch?.[0]?.value}`).sort(),
    ).toEqual(['p-both/amd64', 'p-tilde/amd64']);
  });

  it('a root without a dpkg database: nothing exists', async () => {
    const empty = await makeTree({ '/etc/hostname': 'x\n' });
    try {
      const ctx = contextFor(await openRootDirTransport(empty));
      const collection = await createDpkginfoProbe().collect(
        object('linux', 'dpkginfo_object', { name: { value: 'bash' } }),
        ctx,
      );
      expect(plainCollection(collection)).toEqual({ flag: 'complete', items: [], messages: [] });
    } finally {
      await removeTree(empty);
    }
  });
});

describe('splitDebianVersion', () => {
  it.each([
    ['5.2.15-2+b8', { epoch: '0', version: '5.2.15', release: '2+b8', evr: '0:5.2.15-2+b8' }],
    [
      '1:9.2p1-2+deb12u10',
      { epoch: '1', version: '9.2p1', release: '2+deb12u10', evr: '1:9.2p1-2+deb12u10' },
    ],
    ['3.134', { epoch: '0', version: '3.134', release: '', evr: '0:3.134' }],
    ['3.1-20221030-2', { epoch: '0', version: '3.1', release: '20221030-2', evr: '0:3.1-20221030-2' }],
  ])('%s', (input, expected) => {
    expect(splitDebianVersion(input)).toEqual(expected);
  });
});
