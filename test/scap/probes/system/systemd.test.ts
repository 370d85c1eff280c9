/**
 * The systemd probes where systemd runs: captured `systemctl` output (systemd 252 format) answered
 * through a live FakeHost, and the two oscap behaviours without systemd (this host's live case is
 * also checked against oscap in oscap-differential.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { FactKind, FactRequestOf } from '../../../../src/core/facts/fact-request.js';
import { entityMatches } from '../../../../src/scap/oval-session/entity-match.js';
import type { ProbeContext } from '../../../../src/scap/oval-session/probe.js';
import {
  dependencyArgv,
  directDependencies,
  LIST_UNITS_ARGV,
  parseUnitList,
  showArgv,
  unitProperties,
} from '../../../../src/scap/probes/system/systemctl-output.js';
import {
  DBUS_FAILED,
  systemdUnitDependencyProbe,
  systemdUnitPropertyProbe,
} from '../../../../src/scap/probes/system/systemd.js';
import { type FakeFacts, FakeHost } from '../../../../src/testing/fake-host.js';
import { object, plainCollection } from './helpers.js';

const LIST_UNITS = `-.mount                     loaded    active   mounted Root Mount
apparmor.service            loaded    active   exited  Load AppArmor profiles
● apport.service            not-found inactive dead    apport.service
cron.service                loaded    active   running Regular background program processing daemon
ssh.service                 loaded    active   running OpenBSD Secure Shell server
basic.target                loaded    active   active  Basic System
getty.target                loaded    active   active  Login Prompts
multi-user.target           loaded    active   active  Multi-User System
sysinit.target              loaded    active   active  System Initialization
`;

const SHOW_SSH = `Type=notify
Restart=on-failure
MainPID=612
Id=ssh.service
Names=ssh.service sshd.service
Requires=system.slice sysinit.target
Wants=
WantedBy=multi-user.target
After=network.target auditd.service
Description=OpenBSD Secure Shell server
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=enabled
UnitFilePreset=enabled
CanStart=yes
CanIsolate=no
Conditions=
`;

const SHOW_APPORT = `Id=apport.service
Names=apport.service
LoadState=not-found
ActiveState=inactive
UnitFileState=
`;

const DEPENDENCIES: Record<string, string> = {
  'multi-user.target': 'Requires=basic.target\nWants=ssh.service getty.target cron.service\n',
  'basic.target': 'Requires=sysinit.target -.mount\nWants=\n',
  'sysinit.target': 'Requires=\nWants=apparmor.service basic.target\n',
  'getty.target': 'Requires=\nWants=getty@tty1.service\n',
};

function commands(extra: FakeFacts['commands'] = []): FakeFacts['commands'] {
  return [
    { argv: LIST_UNITS_ARGV, stdout: LIST_UNITS },
    { argv: showArgv('ssh.service'), stdout: SHOW_SSH },
    { argv: showArgv('apport.service'), stdout: SHOW_APPORT },
    ...Object.entries(DEPENDENCIES).map(([unit, stdout]) => ({ argv: dependencyArgv(unit), stdout })),
    ...extra,
  ];
}

function contextOf(host: FakeHost): ProbeContext {
  return {
    live: host.live,
    fact: async <K extends FactKind>(request: FactRequestOf<K>) => host.answer(request),
    matches: entityMatches,
  };
}

const booted = (facts: FakeFacts = {}) =>
  contextOf(
    new FakeHost({ '/run/systemd/system': { type: 'dir' } }, { commands: commands(), ...facts }, 'local'),
  );

describe('systemctl output parsing', () => {
  it('list-units: first column, status bullet dropped', () => {
    expect(parseUnitList(LIST_UNITS)).toEqual([
      '-.mount',
      'apparmor.service',
      'apport.service',
      'cron.service',
      'ssh.service',
      'basic.target',
      'getty.target',
      'multi-user.target',
      'sysinit.target',
    ]);
  });

  it('show: Unit-interface properties only; arrays split; booleans as oscap prints D-Bus booleans; empty arrays dropped', () => {
    expect(unitProperties(SHOW_SSH)).toEqual([
      ['Id', ['ssh.service']],
      ['Names', ['ssh.service', 'sshd.service']],
      ['Requires', ['system.slice', 'sysinit.target']],
      ['WantedBy', ['multi-user.target']],
      ['After', ['network.target', 'auditd.service']],
      ['Description', ['OpenBSD Secure Shell server']],
      ['LoadState', ['loaded']],
      ['ActiveState', ['active']],
      ['SubState', ['running']],
      ['UnitFileState', ['enabled']],
      ['UnitFilePreset', ['enabled']],
      ['CanStart', ['true']],
      ['CanIsolate', ['false']],
    ]);
  });

  it('Requires then Wants', () => {
    expect(directDependencies(DEPENDENCIES['multi-user.target'] ?? '')).toEqual([
      'basic.target',
      'ssh.service',
      'getty.target',
      'cron.service',
    ]);
  });
});

describe('systemdunitproperty probe (systemd running)', () => {
  it.each([
    {
      name: 'SSG style: unit pattern, one property',
      unit: { value: '^(ssh|apport)\\.service$', operation: 'pattern match' },
      property: { value: 'ActiveState' },
      items: [
        { unit: ['apport.service'], property: ['ActiveState'], value: ['inactive'] },
        { unit: ['ssh.service'], property: ['ActiveState'], value: ['active'] },
      ],
    },
    {
      name: 'array and boolean properties',
      unit: { value: 'ssh.service' },
      property: { value: '^(Names|CanStart|Wants)$', operation: 'pattern match' },
      items: [
        { unit: ['ssh.service'], property: ['Names'], value: ['ssh.service', 'sshd.service'] },
        { unit: ['ssh.service'], property: ['CanStart'], value: ['true'] },
      ],
    },
    {
      name: 'a Service-interface property is not a Unit property',
      unit: { value: 'ssh.service' },
      property: { value: 'Restart' },
      items: [],
    },
    {
      name: 'a unit systemd has not loaded',
      unit: { value: 'telnet.socket' },
      property: { value: 'ActiveState' },
      items: [],
    },
  ])('$name', async ({ unit, property, items }) => {
    const collection = await systemdUnitPropertyProbe.collect(
      object('linux', 'systemdunitproperty_object', { unit, property }),
      booted(),
    );
    expect(plainCollection(collection)).toEqual({ flag: 'complete', items, messages: [] });
  });

  it('a failing systemctl is an error naming the command', async () => {
    const ctx = booted({
      commands: [{ argv: LIST_UNITS_ARGV, exitCode: 1, stderr: 'Failed to connect to bus' }],
    });
    const collection = await systemdUnitPropertyProbe.collect(
      object('linux', 'systemdunitproperty_object', {
        unit: { value: 'ssh.service' },
        property: { value: 'ActiveState' },
      }),
      ctx,
    );
    expect(collection.flag).toBe('error');
    expect(collection.messages[0]).toMatch(/systemctl list-units .*Failed to connect to bus/);
  });
});

describe('systemdunitdependency probe (systemd running)', () => {
  it('depth first over Requires then Wants, recursing into targets only, each unit once', async () => {
    const collection = await systemdUnitDependencyProbe.collect(
      object('linux', 'systemdunitdependency_object', { unit: { value: 'multi-user.target' } }),
      booted(),
    );
    expect(plainCollection(collection)).toEqual({
      flag: 'complete',
      messages: [],
      items: [
        {
          unit: ['multi-user.target'],
          dependency: [
            'basic.target',
            'sysinit.target',
            'apparmor.service',
            '-.mount',
            'ssh.service',
            'getty.target',
            'getty@tty1.service',
            'cron.service',
          ],
        },
      ],
    });
  });

  it('a service gets an item without dependencies (only targets are expanded)', async () => {
    const collection = await systemdUnitDependencyProbe.collect(
      object('linux', 'systemdunitdependency_object', { unit: { value: 'ssh.service' } }),
      booted(),
    );
    expect(plainCollection(collection).items).toEqual([{ unit: ['ssh.service'], dependency: [] }]);
  });
});

describe('without a running systemd', () => {
  const property = object('linux', 'systemdunitproperty_object', {
    unit: { value: 'ssh.service' },
    property: { value: 'ActiveState' },
  });
  const dependency = object('linux', 'systemdunitdependency_object', {
    unit: { value: 'multi-user.target' },
  });

  it('live: error, "DBus connection failed" (oscap without D-Bus)', async () => {
    const ctx = contextOf(new FakeHost({}, {}, 'local'));
    for (const [probe, obj] of [
      [systemdUnitPropertyProbe, property],
      [systemdUnitDependencyProbe, dependency],
    ] as const) {
      expect(plainCollection(await probe.collect(obj, ctx))).toEqual({
        flag: 'error',
        items: [],
        messages: [DBUS_FAILED],
      });
    }
  });

  it('offline: not collected, same message (oscap-chroot)', async () => {
    const ctx = contextOf(new FakeHost({ '/run/systemd/system': { type: 'dir' } }, {}, 'root'));
    for (const [probe, obj] of [
      [systemdUnitPropertyProbe, property],
      [systemdUnitDependencyProbe, dependency],
    ] as const) {
      expect(plainCollection(await probe.collect(obj, ctx))).toEqual({
        flag: 'not collected',
        items: [],
        messages: [DBUS_FAILED],
      });
    }
  });
});
