import { CheckTester } from '../../testing/check-tester.js';
import service from './index.js';

const UNIT = '[Unit]\nDescription=Security Auditing Service\n[Install]\nWantedBy=multi-user.target\n';
const INSTALLED = { '/usr/lib/systemd/system/auditd.service': UNIT };
const ENABLED = {
  ...INSTALLED,
  '/etc/systemd/system/multi-user.target.wants/auditd.service': {
    link: '/usr/lib/systemd/system/auditd.service',
  },
};

new CheckTester().run(service, {
  pass: [
    {
      name: 'offline: enabled through a WantedBy link; active ignored and noted',
      spec: { unit: 'auditd.service', enabled: true, active: true },
      files: ENABLED,
      evidence: [
        {
          source: 'service',
          resource: 'auditd.service',
          expected: 'enabled',
          found: 'enabled (wanted by multi-user.target)',
        },
      ],
      message: /not checked on an offline target/,
    },
    {
      name: 'vendor (static) wants links count as enabled offline',
      spec: { unit: 'systemd-journald.service', enabled: true },
      files: {
        '/usr/lib/systemd/system/systemd-journald.service': UNIT,
        '/usr/lib/systemd/system/sysinit.target.wants/systemd-journald.service': {
          link: '../systemd-journald.service',
        },
      },
      evidence: [{ found: 'enabled (wanted by sysinit.target)' }],
    },
    {
      name: 'offline: a static unit (no [Install]) counts as enabled, as systemctl is-enabled says',
      spec: { unit: 'systemd-journald.service', enabled: true },
      files: {
        '/usr/lib/systemd/system/systemd-journald.service':
          '[Unit]\nDescription=Journal\n[Service]\nType=notify\n',
      },
      evidence: [{ found: 'static (no [Install] section)' }],
    },
    {
      name: 'live: static per systemd counts as enabled',
      spec: { unit: 'systemd-journald.service', enabled: true },
      targetKind: 'local',
      files: { '/usr/lib/systemd/system/systemd-journald.service': UNIT },
      facts: { units: { 'systemd-journald.service': { unitFileState: 'static', activeState: 'active' } } },
      evidence: [{ found: 'static' }],
    },
    {
      name: 'unit name without suffix means .service',
      spec: { unit: 'auditd', enabled: true },
      files: ENABLED,
    },
    {
      name: 'disabled: unit installed, no links',
      spec: { unit: 'rsync.service', enabled: false },
      files: { '/lib/systemd/system/rsync.service': UNIT },
      evidence: [{ resource: 'rsync.service', found: 'disabled (no WantedBy/RequiredBy links)' }],
    },
    {
      name: 'masked satisfies masked and not enabled',
      spec: { unit: 'avahi-daemon.service', masked: true, enabled: false },
      files: {
        '/lib/systemd/system/avahi-daemon.service': UNIT,
        '/etc/systemd/system/avahi-daemon.service': { link: '/dev/null' },
        '/etc/systemd/system/multi-user.target.wants/avahi-daemon.service': {
          link: '/lib/systemd/system/avahi-daemon.service',
        },
      },
    },
    {
      name: 'not installed passes for enabled: false by default',
      spec: { unit: 'telnet.socket', enabled: false },
      evidence: [{ resource: 'telnet.socket', found: 'no unit file' }],
    },
    {
      name: 'live: enabled and active per systemd',
      spec: { unit: 'auditd.service', enabled: true, active: true },
      targetKind: 'local',
      files: INSTALLED,
      facts: { units: { 'auditd.service': { activeState: 'active', unitFileState: 'enabled' } } },
      evidence: [
        { expected: 'enabled', found: 'enabled' },
        { expected: 'active', found: 'active' },
      ],
    },
    {
      name: 'live: inactive as required',
      spec: { unit: 'cups.service', active: false },
      targetKind: 'local',
      files: { '/lib/systemd/system/cups.service': UNIT },
    },
  ],
  fail: [
    {
      name: 'not enabled',
      spec: { unit: 'auditd.service', enabled: true },
      files: INSTALLED,
      evidence: [
        {
          source: 'service',
          resource: 'auditd.service',
          expected: 'enabled',
          found: 'disabled (no WantedBy/RequiredBy links)',
          detail: '/usr/lib/systemd/system/auditd.service',
        },
      ],
    },
    {
      name: 'not installed fails for enabled: true',
      spec: { unit: 'auditd.service', enabled: true },
      evidence: [{ resource: 'auditd.service', expected: 'enabled', found: 'no unit file' }],
      message: /not installed/,
    },
    {
      name: 'enabled but must be disabled',
      spec: { unit: 'auditd.service', enabled: false },
      files: ENABLED,
      evidence: [{ expected: 'not enabled', found: 'enabled (wanted by multi-user.target)' }],
    },
    {
      name: 'live: linked units are not enabled',
      spec: { unit: 'x.service', enabled: true },
      targetKind: 'local',
      files: { '/lib/systemd/system/x.service': UNIT },
      facts: { units: { 'x.service': { unitFileState: 'linked' } } },
      evidence: [{ expected: 'enabled', found: 'linked' }],
    },
    {
      name: 'installed but not masked',
      spec: { unit: 'x.service', masked: true },
      files: { '/lib/systemd/system/x.service': UNIT },
      evidence: [{ resource: 'x.service', expected: 'masked', found: 'not masked' }],
    },
    {
      name: 'live: enabled but not running',
      spec: { unit: 'auditd.service', enabled: true, active: true },
      targetKind: 'local',
      files: ENABLED,
      facts: { units: { 'auditd.service': { activeState: 'failed' } } },
      evidence: [{ resource: 'auditd.service', expected: 'active', found: 'failed' }],
    },
  ],
  notapplicable: [
    {
      name: 'not installed is notapplicable when asked',
      spec: { unit: 'nginx.service', enabled: true, missing: 'notapplicable' },
      evidence: [{ resource: 'nginx.service' }],
    },
  ],
  notchecked: [
    {
      name: 'only active asked on an offline root',
      spec: { unit: 'auditd.service', active: true },
      files: ENABLED,
      message: /offline target/,
    },
  ],
  error: [
    {
      name: 'unit fact broken',
      spec: { unit: 'auditd.service', enabled: true },
      facts: { results: { 'systemd-unit': { status: 'error', message: 'systemctl timed out' } } },
      message: /systemctl timed out/,
    },
  ],
  invalidSpec: [
    { name: 'no assertion', spec: { unit: 'auditd.service' }, field: 'enabled' },
    { name: 'unit with a slash', spec: { unit: '../x', enabled: true }, field: 'unit' },
  ],
});
