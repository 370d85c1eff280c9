/**
 * Differential tests: the probes and `oscap oval eval` (oscap 1.3.7) on the same objects, live on
 * this host. Skipped when oscap is absent. Volatile figures (free blocks, oscap's own pid) are left
 * out of the comparison and named where they are.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ProbeItem } from '../../../../src/scap/oval-session/probe.js';
import { SYSTEM_PROBES } from '../../../../src/scap/probes/system/index.js';
import { createLocalTransport } from '../../../../src/targets/index.js';
import {
  contextFor,
  hasOscap,
  type OscapObject,
  object,
  oscapCollect,
  type PlainItem,
  plain,
} from './helpers.js';

const oscap = await hasOscap();

function probeFor(family: string, type: string) {
  const probe = SYSTEM_PROBES.find((p) => p.family === family && p.objectType === type);
  if (!probe) throw new Error(`no probe ${family}:${type}`);
  return probe;
}

async function ours(family: string, type: string, entities: Parameters<typeof object>[2]) {
  const collection = await probeFor(family, type).collect(
    object(family, type, entities),
    contextFor(createLocalTransport()),
  );
  return { ...collection, plainItems: collection.items.map(plain) };
}

const byKey = (key: (item: PlainItem) => string) => (a: PlainItem, b: PlainItem) =>
  key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Installed packages of this host chosen to cover epochs, no revision, multi-hyphen versions. */
async function samplePackages(): Promise<string[]> {
  const status = await readFile('/var/lib/dpkg/status', 'utf8');
  const versions = new Map<string, string>();
  for (const paragraph of status.split('\n\n')) {
    const name = /^Package: (.*)$/m.exec(paragraph)?.[1];
    const version = /^Version: (.*)$/m.exec(paragraph)?.[1];
    if (name && version && /^Status: .* installed$/m.test(paragraph)) versions.set(name, version);
  }
  const pick = (test: (v: string) => boolean) => [...versions].find(([, v]) => test(v))?.[0];
  return [
    'bash',
    'libc6',
    'openssh-client',
    pick((v) => v.includes(':')),
    pick((v) => !v.includes('-')),
    pick((v) => v.split('-').length > 2),
    pick((v) => v.includes('~')),
    'telnet-not-installed-here',
  ].filter((name): name is string => name !== undefined);
}

describe.skipIf(!oscap)('system probes vs oscap oval eval (live)', () => {
  it('dpkginfo: same items, fields and evr datatype for a sample of packages', async () => {
    const names = await samplePackages();
    const objects: OscapObject[] = names.map((name) => ({
      family: 'linux',
      type: 'dpkginfo_object',
      xml: `<linux:name>${name}</linux:name>`,
    }));
    const reference = await oscapCollect(objects);
    for (const [index, name] of names.entries()) {
      const mine = await ours('linux', 'dpkginfo_object', { name: { value: name } });
      const theirs = reference[index];
      expect({ name, items: mine.plainItems }).toEqual({ name, items: theirs?.items });
      if (mine.items[0]) expect(mine.items[0].fields.evr?.[0]?.datatype).toBe(theirs?.datatypes.evr);
    }
  });

  it('password: every account, with not equal and pattern match', async () => {
    const objects: OscapObject[] = [
      {
        family: 'unix',
        type: 'password_object',
        xml: '<unix:username operation="not equal">root</unix:username>',
      },
      {
        family: 'unix',
        type: 'password_object',
        xml: '<unix:username operation="pattern match">^r</unix:username>',
      },
      { family: 'unix', type: 'password_object', xml: '<unix:username>nobody</unix:username>' },
    ];
    const reference = await oscapCollect(objects);
    const entities = [
      { username: { value: 'root', operation: 'not equal' } },
      { username: { value: '^r', operation: 'pattern match' } },
      { username: { value: 'nobody' } },
    ];
    const sort = byKey((item) => item.username?.[0] ?? '');
    for (const [index, e] of entities.entries()) {
      const mine = await ours('unix', 'password_object', e);
      expect(mine.plainItems.sort(sort)).toEqual(reference[index]?.items.sort(sort));
      expect(mine.plainItems.length).toBeGreaterThan(0);
    }
  });

  it('shadow, sysctl, uname, family, rpminfo: same items', async () => {
    const cases: [OscapObject, string, Parameters<typeof object>[2]][] = [
      [
        {
          family: 'unix',
          type: 'shadow_object',
          xml: '<unix:username operation="pattern match">.*</unix:username>',
        },
        'shadow_object',
        { username: { value: '.*', operation: 'pattern match' } },
      ],
      [
        { family: 'unix', type: 'sysctl_object', xml: '<unix:name>kernel.randomize_va_space</unix:name>' },
        'sysctl_object',
        { name: { value: 'kernel.randomize_va_space' } },
      ],
      [
        { family: 'unix', type: 'sysctl_object', xml: '<unix:name>net.ipv4.ip_local_port_range</unix:name>' },
        'sysctl_object',
        { name: { value: 'net.ipv4.ip_local_port_range' } },
      ],
      [
        { family: 'unix', type: 'sysctl_object', xml: '<unix:name>kernel.does_not_exist</unix:name>' },
        'sysctl_object',
        { name: { value: 'kernel.does_not_exist' } },
      ],
      [
        {
          family: 'unix',
          type: 'sysctl_object',
          xml: '<unix:name operation="pattern match">^fs\\.protected_</unix:name>',
        },
        'sysctl_object',
        { name: { value: '^fs\\.protected_', operation: 'pattern match' } },
      ],
      [{ family: 'unix', type: 'uname_object', xml: '' }, 'uname_object', {}],
      [{ family: 'ind', type: 'family_object', xml: '' }, 'family_object', {}],
      [
        { family: 'linux', type: 'rpminfo_object', xml: '<linux:name>bash</linux:name>' },
        'rpminfo_object',
        { name: { value: 'bash' } },
      ],
    ];
    const reference = await oscapCollect(cases.map(([o]) => o));
    for (const [index, [o, type, entities]] of cases.entries()) {
      const mine = await ours(o.family, type, entities);
      const sort = byKey((item) => JSON.stringify(item));
      expect({
        type,
        flag: mine.items.length === 0 ? 'does not exist' : mine.flag,
        items: mine.plainItems.sort(sort),
      }).toEqual({
        type,
        flag: reference[index]?.flag,
        items: reference[index]?.items.sort(sort),
      });
    }
  });

  it('sysctl over all of /proc/sys: same names, same number of values each (values change: random, counters)', async () => {
    const [reference] = await oscapCollect([
      { family: 'unix', type: 'sysctl_object', xml: '<unix:name operation="pattern match">.*</unix:name>' },
    ]);
    const mine = await ours('unix', 'sysctl_object', { name: { value: '.*', operation: 'pattern match' } });
    const shape = (items: PlainItem[]) =>
      items.map((item) => `${item.name?.[0]} ${item.value?.length ?? 0}`).sort();
    expect(shape(mine.plainItems)).toEqual(shape(reference?.items ?? []));
    expect(mine.plainItems.length).toBeGreaterThan(500);
  });

  it('partition: same mount options (with oscap\'s "bind"), device, fs type and total size', async () => {
    const points = ['/', '/proc', '/dev/shm', '/no/such/mount'];
    const reference = await oscapCollect(
      points.map((p) => ({
        family: 'linux',
        type: 'partition_object',
        xml: `<linux:mount_point>${p}</linux:mount_point>`,
      })),
    );
    const stable = (item: PlainItem) => {
      const { space_used: _u, space_left: _l, ...rest } = item;
      return rest;
    };
    for (const [index, point] of points.entries()) {
      const mine = await ours('linux', 'partition_object', { mount_point: { value: point } });
      expect({ point, items: mine.plainItems.map(stable) }).toEqual({
        point,
        items: reference[index]?.items.map(stable),
      });
    }
  });

  it('interface: the same (name, address) items with the same fields', async () => {
    const [reference] = await oscapCollect([
      {
        family: 'unix',
        type: 'interface_object',
        xml: '<unix:name operation="pattern match">.*</unix:name>',
      },
    ]);
    const mine = await ours('unix', 'interface_object', {
      name: { value: '.*', operation: 'pattern match' },
    });
    const sort = byKey((item) => `${item.name?.[0]} ${item.inet_addr?.[0]}`);
    expect(mine.plainItems.sort(sort)).toEqual(reference?.items.sort(sort));
  });

  it("environmentvariable58 with nil pid: own environment, oscap's message", async () => {
    const [reference] = await oscapCollect([
      {
        family: 'ind',
        type: 'environmentvariable58_object',
        xml: '<ind:pid xsi:nil="true" datatype="int"/><ind:name>HOME</ind:name>',
      },
    ]);
    const mine = await ours('ind', 'environmentvariable58_object', {
      pid: { nil: true, datatype: 'int' },
      name: { value: 'HOME' },
    });
    expect(mine.messages).toEqual(reference?.messages);
    expect(mine.flag).toBe(reference?.flag);
    // The pid is each scanner's own; the variable is inherited from the same shell.
    const withoutPid = (items: PlainItem[]) => items.map(({ pid: _pid, ...rest }) => rest);
    expect(withoutPid(mine.plainItems)).toEqual(withoutPid(reference?.items ?? []));
    expect(mine.plainItems[0]?.pid).toEqual([String(process.pid)]);
  });

  it('systemd probes without a running systemd: flag and message as oscap', async () => {
    const booted = await readFile('/run/systemd/system').then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code === 'EISDIR',
    );
    if (booted) return; // this check is about hosts without systemd; parsing is tested elsewhere
    const reference = await oscapCollect([
      {
        family: 'linux',
        type: 'systemdunitproperty_object',
        xml: '<linux:unit>sshd.service</linux:unit><linux:property>ActiveState</linux:property>',
      },
      {
        family: 'linux',
        type: 'systemdunitdependency_object',
        xml: '<linux:unit>multi-user.target</linux:unit>',
      },
    ]);
    const property = await ours('linux', 'systemdunitproperty_object', {
      unit: { value: 'sshd.service' },
      property: { value: 'ActiveState' },
    });
    const dependency = await ours('linux', 'systemdunitdependency_object', {
      unit: { value: 'multi-user.target' },
    });
    expect([property.flag, property.messages]).toEqual([reference[0]?.flag, reference[0]?.messages]);
    expect([dependency.flag, dependency.messages]).toEqual([reference[1]?.flag, reference[1]?.messages]);
  });
});

export type { ProbeItem };
