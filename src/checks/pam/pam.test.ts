import { CheckTester } from '../../testing/check-tester.js';
import pam from './index.js';

const COMMON_PASSWORD = [
  '# /etc/pam.d/common-password',
  'password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=14 enforce_for_root',
  'password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt',
  'password\trequisite\t\t\tpam_deny.so',
].join('\n');

new CheckTester().run(pam, {
  pass: [
    {
      name: 'module line with control and arguments',
      spec: {
        service: 'common-password',
        moduleType: 'password',
        module: 'pam_pwquality.so',
        control: '^requisite$',
        args: [{ name: 'retry', op: 'lte', value: 3 }, { name: 'enforce_for_root' }],
      },
      files: { '/etc/pam.d/common-password': COMMON_PASSWORD },
      evidence: [{ source: 'file', resource: '/etc/pam.d/common-password', line: 2 }],
    },
    {
      name: '@include is followed',
      spec: {
        service: 'passwd',
        moduleType: 'password',
        module: 'pam_unix.so',
        args: [{ name: 'yescrypt' }],
      },
      files: {
        '/etc/pam.d/passwd': '@include common-password\n',
        '/etc/pam.d/common-password': COMMON_PASSWORD,
      },
      evidence: [{ resource: '/etc/pam.d/common-password', line: 3 }],
    },
    {
      name: 'Red Hat style include of the same type',
      spec: {
        service: 'sshd',
        moduleType: 'auth',
        module: 'pam_faillock.so',
        args: [{ name: 'deny', op: 'lte', value: 5 }],
      },
      files: {
        '/etc/pam.d/sshd': 'auth       substack     password-auth\naccount    include      password-auth\n',
        '/etc/pam.d/password-auth':
          'auth required pam_env.so\nauth required pam_faillock.so preauth deny=5\naccount required pam_faillock.so deny=9\n',
      },
      evidence: [{ resource: '/etc/pam.d/password-auth', line: 2 }],
    },
    {
      name: 'full module path and line continuation',
      spec: { service: 'login', moduleType: 'session', module: 'pam_limits.so' },
      files: { '/etc/pam.d/login': 'session required \\\n  /lib/x86_64-linux-gnu/security/pam_limits.so\n' },
      evidence: [{ line: 1 }],
    },
    {
      name: 'a dash-prefixed type still counts',
      spec: { service: 'common-session', moduleType: 'session', module: 'pam_systemd.so' },
      files: { '/etc/pam.d/common-session': '-session optional pam_systemd.so\n' },
    },
    {
      name: 'module must be absent and is',
      spec: {
        service: 'common-auth',
        moduleType: 'auth',
        module: 'pam_unix.so',
        present: false,
        args: [{ name: 'nullok' }],
      },
      files: { '/etc/pam.d/common-auth': 'auth [success=1 default=ignore] pam_unix.so try_first_pass\n' },
      evidence: [{ resource: '/etc/pam.d/common-auth', found: 'no matching auth pam_unix line' }],
    },
    {
      name: 'missing service with present: false',
      spec: { service: 'rsh', moduleType: 'auth', module: 'pam_rhosts.so', present: false },
      evidence: [{ resource: '/etc/pam.d/rsh', found: 'missing' }],
    },
  ],
  fail: [
    {
      name: 'argument value out of range',
      spec: {
        service: 'common-password',
        moduleType: 'password',
        module: 'pam_pwquality.so',
        args: [{ name: 'retry', op: 'lte', value: 2 }],
      },
      files: { '/etc/pam.d/common-password': COMMON_PASSWORD },
      evidence: [
        {
          resource: '/etc/pam.d/common-password',
          line: 2,
          found: 'argument retry=3 does not satisfy retry <= 2',
        },
      ],
    },
    {
      name: 'flag argument missing',
      spec: {
        service: 'common-password',
        moduleType: 'password',
        module: 'pam_unix.so',
        args: [{ name: 'remember', op: 'gte', value: 5 }],
      },
      files: { '/etc/pam.d/common-password': COMMON_PASSWORD },
      evidence: [{ resource: '/etc/pam.d/common-password', line: 3, found: 'argument remember is missing' }],
    },
    {
      name: 'module absent from the service and its includes',
      spec: { service: 'passwd', moduleType: 'password', module: 'pam_pwhistory.so' },
      files: {
        '/etc/pam.d/passwd': '@include common-password\n',
        '/etc/pam.d/common-password': COMMON_PASSWORD,
      },
      evidence: [{ resource: '/etc/pam.d/passwd', found: 'no password pam_pwhistory line' }],
    },
    {
      name: 'wrong control',
      spec: {
        service: 'common-password',
        moduleType: 'password',
        module: 'pam_pwquality.so',
        control: '^required$',
      },
      files: { '/etc/pam.d/common-password': COMMON_PASSWORD },
      evidence: [{ line: 2, found: 'control requisite does not match /^required$/' }],
    },
    {
      name: 'module of another type does not count',
      spec: { service: 'common-auth', moduleType: 'account', module: 'pam_faillock.so' },
      files: { '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth\n' },
      evidence: [{ resource: '/etc/pam.d/common-auth' }],
    },
    {
      name: 'module that must be absent is present through an include',
      spec: {
        service: 'login',
        moduleType: 'auth',
        module: 'pam_unix.so',
        present: false,
        args: [{ name: 'nullok' }],
      },
      files: {
        '/etc/pam.d/login': '@include common-auth\n',
        '/etc/pam.d/common-auth': '# x\nauth [success=1 default=ignore] pam_unix.so nullok\n',
      },
      evidence: [{ source: 'file', resource: '/etc/pam.d/common-auth', line: 2 }],
    },
    {
      name: 'service file missing',
      spec: { service: 'common-password', moduleType: 'password', module: 'pam_pwquality.so' },
      evidence: [{ resource: '/etc/pam.d/common-password', found: 'missing' }],
    },
  ],
  error: [
    {
      name: 'pam.d unreadable',
      spec: { service: 'common-password', moduleType: 'password', module: 'pam_pwquality.so' },
      facts: { results: { 'file-glob': { status: 'error', message: 'EACCES' } } },
      message: /EACCES/,
    },
  ],
  notchecked: [
    {
      name: 'pam.d not collected',
      spec: { service: 'common-auth', moduleType: 'auth', module: 'pam_faillock.so' },
      facts: { results: { 'file-glob': { status: 'unavailable', reason: 'no access' } } },
      message: /no access/,
    },
  ],
  invalidSpec: [
    {
      name: 'bad module type',
      spec: { service: 'x', moduleType: 'authz', module: 'pam_x.so' },
      field: 'moduleType',
    },
    {
      name: 'service with a slash',
      spec: { service: '../x', moduleType: 'auth', module: 'pam_x.so' },
      field: 'service',
    },
    {
      name: 'op without value',
      spec: { service: 'x', moduleType: 'auth', module: 'm', args: [{ name: 'a', op: 'lte' }] },
      field: 'args.0.value',
    },
    {
      name: 'bad control regex',
      spec: { service: 'x', moduleType: 'auth', module: 'm', control: '[' },
      field: 'control',
    },
  ],
});
