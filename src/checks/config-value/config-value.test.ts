import { CheckTester } from '../../testing/check-tester.js';
import configValue from './index.js';

const SSHD = '/etc/ssh/sshd_config';

new CheckTester().run(configValue, {
  pass: [
    {
      name: 'sshd: plain value, keyword case-insensitive, value case-insensitive',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      files: { [SSHD]: '# comment\npermitrootlogin No\n' },
      evidence: [{ source: 'file', resource: SSHD, line: 2, found: 'No' }],
    },
    {
      name: 'sshd: first value wins',
      spec: { format: 'sshd', key: 'MaxAuthTries', op: 'lte', value: 4 },
      files: { [SSHD]: 'MaxAuthTries 3\nMaxAuthTries 10\n' },
      evidence: [{ resource: SSHD, line: 1, found: '3' }],
    },
    {
      name: 'sshd: Include is expanded in place and its first value wins over later main-file lines',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      files: {
        [SSHD]: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n',
        '/etc/ssh/sshd_config.d/50-hardening.conf': 'PermitRootLogin no\n',
      },
      evidence: [{ resource: '/etc/ssh/sshd_config.d/50-hardening.conf', line: 1, found: 'no' }],
    },
    {
      name: 'sshd: relative Include resolves under /etc/ssh and files are read in glob order',
      spec: { format: 'sshd', key: 'X11Forwarding', value: false },
      files: {
        [SSHD]: 'Include sshd_config.d/*.conf\n',
        '/etc/ssh/sshd_config.d/20-b.conf': 'X11Forwarding yes\n',
        '/etc/ssh/sshd_config.d/10-a.conf': 'X11Forwarding no\n',
      },
      evidence: [{ resource: '/etc/ssh/sshd_config.d/10-a.conf', found: 'no' }],
    },
    {
      name: 'sshd: settings inside Match blocks do not apply globally',
      spec: {
        format: 'sshd',
        key: 'PermitRootLogin',
        op: 'in',
        value: ['no', 'prohibit-password'],
        default: 'prohibit-password',
      },
      files: { [SSHD]: 'Match User backup\n  PermitRootLogin yes\nMatch all\n  PermitRootLogin yes\n' },
      // A value set only inside Match blocks leaves the global context at the built-in default.
      evidence: [{ resource: SSHD, found: 'prohibit-password (built-in default; not set)' }],
      message: /only set inside a Match block at \/etc\/ssh\/sshd_config:2/,
    },
    {
      name: 'sshd: a Match block in an included file ends with that file',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no', default: 'prohibit-password' },
      files: {
        [SSHD]: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n',
        '/etc/ssh/sshd_config.d/10-match.conf': 'Match Group admins\n  PermitRootLogin yes\n',
      },
      evidence: [{ resource: SSHD, line: 2, found: 'no' }],
    },
    {
      name: 'sshd: a file included inside a Match block stays in that block',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no', default: 'no' },
      files: {
        [SSHD]: 'Match User deploy\n  Include /etc/ssh/match.d/*.conf\nMatch all\n',
        '/etc/ssh/match.d/a.conf': 'PermitRootLogin yes\n',
      },
      evidence: [{ resource: SSHD, found: 'no (built-in default; not set)' }],
      message: /only set inside a Match block at \/etc\/ssh\/match.d\/a.conf:1/,
    },
    {
      name: 'sshd: keyword=value syntax',
      spec: { format: 'sshd', key: 'LoginGraceTime', op: 'lte', value: 60 },
      files: { [SSHD]: 'LoginGraceTime=30\n' },
    },
    {
      name: 'sshd: built-in default applies when not set',
      spec: { format: 'sshd', key: 'PermitEmptyPasswords', value: 'no', default: 'no' },
      files: { [SSHD]: 'Port 22\n' },
      evidence: [{ resource: SSHD, found: 'no (built-in default; not set)' }],
    },
    {
      name: 'sshd: contains on a list value',
      spec: { format: 'sshd', key: 'Ciphers', op: 'contains', value: 'aes256-gcm@openssh.com' },
      files: { [SSHD]: 'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com\n' },
    },
    {
      name: 'sshd: matches operator',
      spec: { format: 'sshd', key: 'LogLevel', op: 'matches', value: '^(INFO|VERBOSE)$' },
      files: { [SSHD]: 'LogLevel VERBOSE\n' },
    },
    {
      name: 'login.defs: the last definition wins',
      spec: { format: 'login.defs', key: 'PASS_MAX_DAYS', op: 'lte', value: 365 },
      files: { '/etc/login.defs': 'PASS_MAX_DAYS 99999\nPASS_MAX_DAYS\t90\n' },
      evidence: [{ resource: '/etc/login.defs', line: 2, found: '90' }],
    },
    {
      name: 'keyvalue: last wins, drop-ins after the main file',
      spec: {
        format: 'keyvalue',
        path: '/etc/security/pwquality.conf',
        key: 'minlen',
        op: 'gte',
        value: 14,
        dropins: { dirs: ['/etc/security/pwquality.conf.d'], pattern: '*.conf' },
      },
      files: {
        '/etc/security/pwquality.conf': '# minlen = 8\nminlen = 9\n',
        '/etc/security/pwquality.conf.d/50-cis.conf': 'minlen = 14\n',
      },
      evidence: [{ resource: '/etc/security/pwquality.conf.d/50-cis.conf', line: 1, found: '14' }],
    },
    {
      name: 'keyvalue: whitespace separator and quoted values',
      spec: {
        format: 'keyvalue',
        path: '/etc/default/useradd',
        separator: ' ',
        key: 'INACTIVE',
        value: '30',
      },
      files: { '/etc/default/useradd': 'INACTIVE "30"\n' },
    },
    {
      name: 'ini: section-scoped key, drop-in in lexical order overrides',
      spec: {
        format: 'ini',
        path: '/etc/systemd/journald.conf',
        section: 'Journal',
        key: 'Storage',
        value: 'persistent',
        dropins: {
          dirs: ['/etc/systemd/journald.conf.d', '/usr/lib/systemd/journald.conf.d'],
          pattern: '*.conf',
        },
      },
      files: {
        '/etc/systemd/journald.conf': '[Journal]\nStorage=auto\n',
        '/usr/lib/systemd/journald.conf.d/10-vendor.conf': '[Journal]\nStorage=volatile\n',
        '/etc/systemd/journald.conf.d/20-cis.conf': '[Journal]\nStorage=persistent\n',
      },
      evidence: [{ resource: '/etc/systemd/journald.conf.d/20-cis.conf', line: 2 }],
    },
    {
      name: 'ini: a file in /etc hides the same-named vendor drop-in',
      spec: {
        format: 'ini',
        path: '/etc/systemd/journald.conf',
        section: 'Journal',
        key: 'Compress',
        value: 'yes',
        dropins: {
          dirs: ['/etc/systemd/journald.conf.d', '/usr/lib/systemd/journald.conf.d'],
          pattern: '*.conf',
        },
      },
      files: {
        '/etc/systemd/journald.conf': '[Journal]\n',
        '/usr/lib/systemd/journald.conf.d/90-x.conf': '[Journal]\nCompress=no\n',
        '/etc/systemd/journald.conf.d/90-x.conf': '[Journal]\nCompress=yes\n',
      },
      evidence: [{ resource: '/etc/systemd/journald.conf.d/90-x.conf' }],
    },
    {
      name: 'missing file accepted',
      spec: { format: 'login.defs', key: 'UMASK', value: '027', missing: 'pass' },
      evidence: [{ resource: '/etc/login.defs', found: 'missing' }],
    },
  ],
  fail: [
    {
      name: 'sshd: the earlier wrong value wins over a later right one',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      files: { [SSHD]: 'PermitRootLogin yes\nPermitRootLogin no\n' },
      evidence: [
        {
          source: 'file',
          resource: SSHD,
          line: 1,
          expected: 'PermitRootLogin no',
          found: 'yes',
          detail: 'PermitRootLogin yes',
        },
      ],
      message: /PermitRootLogin is yes at \/etc\/ssh\/sshd_config:1/,
    },
    {
      name: 'sshd: an included file sets the wrong value before the main file',
      spec: { format: 'sshd', key: 'PasswordAuthentication', value: 'no' },
      files: {
        [SSHD]: 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n',
        '/etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n',
      },
      evidence: [{ resource: '/etc/ssh/sshd_config.d/50-cloud-init.conf', line: 1, found: 'yes' }],
    },
    {
      name: 'sshd: a value set only inside Match is not set globally',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      files: { [SSHD]: 'Port 22\nMatch Address 10.0.0.0/8\n  PermitRootLogin no\n' },
      evidence: [{ resource: SSHD, expected: 'PermitRootLogin no', found: 'not set' }],
      message: /not set/,
    },
    {
      name: 'sshd: not set and no default',
      spec: { format: 'sshd', key: 'Banner', op: 'matches', value: '^/etc/issue' },
      files: { [SSHD]: 'Port 22\n' },
      evidence: [{ resource: SSHD, found: 'not set' }],
    },
    {
      name: 'sshd: the built-in default does not satisfy the rule',
      spec: { format: 'sshd', key: 'MaxAuthTries', op: 'lte', value: 4, default: 6 },
      files: { [SSHD]: 'Match User x\nMaxAuthTries 2\n' },
      evidence: [{ resource: SSHD, found: '6 (built-in default; not set)' }],
    },
    {
      name: 'sshd: the config file is missing',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      evidence: [{ resource: SSHD, found: 'missing' }],
    },
    {
      name: 'sshd: numeric comparison on a non-number',
      spec: { format: 'sshd', key: 'ClientAliveInterval', op: 'gt', value: 0 },
      files: { [SSHD]: 'ClientAliveInterval 5m\n' },
      evidence: [{ found: '5m' }],
    },
    {
      name: 'login.defs: keys are case-sensitive',
      spec: { format: 'login.defs', key: 'PASS_MIN_DAYS', op: 'gte', value: 1 },
      files: { '/etc/login.defs': 'pass_min_days 7\nPASS_MIN_DAYS 0\n' },
      evidence: [{ resource: '/etc/login.defs', line: 2, found: '0' }],
    },
    {
      name: 'ini: an empty assignment resets the key',
      spec: {
        format: 'ini',
        path: '/etc/systemd/coredump.conf',
        section: 'Coredump',
        key: 'Storage',
        value: 'none',
      },
      files: { '/etc/systemd/coredump.conf': '[Coredump]\nStorage=none\nStorage=\n' },
      evidence: [{ resource: '/etc/systemd/coredump.conf', found: 'not set' }],
    },
    {
      name: 'ini: same key in another section does not count',
      spec: {
        format: 'ini',
        path: '/etc/systemd/journald.conf',
        section: 'Journal',
        key: 'Storage',
        value: 'persistent',
      },
      files: { '/etc/systemd/journald.conf': '[Other]\nStorage=persistent\n[Journal]\nStorage=auto\n' },
      evidence: [{ line: 4, found: 'auto' }],
    },
    {
      name: 'keyvalue: in operator',
      spec: { format: 'keyvalue', path: '/etc/default/x', key: 'MODE', op: 'in', value: ['a', 'b'] },
      files: { '/etc/default/x': 'MODE=c\n' },
      evidence: [{ expected: 'MODE one of [a, b]', found: 'c' }],
    },
  ],
  notapplicable: [
    {
      name: 'missing file is notapplicable when asked',
      spec: { format: 'keyvalue', path: '/etc/default/x', key: 'A', value: '1', missing: 'notapplicable' },
      evidence: [{ resource: '/etc/default/x', found: 'missing' }],
    },
  ],
  error: [
    {
      name: 'a truncated file has no knowable last value',
      spec: { format: 'login.defs', key: 'UMASK', value: '027' },
      facts: {
        results: {
          'file-text': {
            status: 'ok',
            value: { path: '/etc/login.defs', exists: true, text: 'UMASK 027\n', truncated: true },
          },
        },
      },
      message: /larger than the read limit/,
    },
    {
      name: 'config tree could not be read',
      spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' },
      facts: { results: { 'config-tree': { status: 'error', message: 'permission denied' } } },
      message: /permission denied/,
    },
  ],
  notchecked: [
    {
      name: 'file text unavailable',
      spec: { format: 'login.defs', key: 'UMASK', value: '027' },
      facts: { results: { 'file-text': { status: 'unavailable', reason: 'not collected by this agent' } } },
      message: /not collected/,
    },
  ],
  invalidSpec: [
    { name: 'unknown field', spec: { format: 'sshd', key: 'A', value: 'b', regex: 'x' }, field: 'regex' },
    { name: 'keyvalue without path', spec: { format: 'keyvalue', key: 'A', value: 'b' }, field: 'path' },
    {
      name: 'ini without section',
      spec: { format: 'ini', path: '/etc/x', key: 'A', value: 'b' },
      field: 'section',
    },
    {
      name: 'separator on sshd',
      spec: { format: 'sshd', key: 'A', value: 'b', separator: ' ' },
      field: 'separator',
    },
    { name: 'in without a list', spec: { format: 'sshd', key: 'A', op: 'in', value: 'b' }, field: 'value' },
    {
      name: 'lte without a number',
      spec: { format: 'sshd', key: 'A', op: 'lte', value: 'many' },
      field: 'value',
    },
    { name: 'bad format', spec: { format: 'toml', key: 'A', value: 'b' }, field: 'format' },
  ],
});
