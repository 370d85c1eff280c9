import { CheckTester } from '../../testing/check-tester.js';
import command from './index.js';

const AA = ['/usr/sbin/aa-status', '--enabled'];

new CheckTester({ targetKind: 'local' }).run(command, {
  pass: [
    {
      name: 'exit code 0',
      spec: { argv: AA, exitCode: 0 },
      facts: { commands: [{ argv: AA, exitCode: 0 }] },
      evidence: [{ source: 'command', resource: '/usr/sbin/aa-status --enabled', found: 'exit code 0' }],
    },
    {
      name: 'no expectation means success',
      spec: { argv: AA },
      facts: { commands: [{ argv: AA, exitCode: 0 }] },
    },
    {
      name: 'stdout present',
      spec: { argv: ['/usr/sbin/aa-status'], stdout: { match: '^\\d+ profiles are in enforce mode' } },
      facts: {
        commands: [
          {
            argv: ['/usr/sbin/aa-status'],
            stdout: 'apparmor module is loaded.\n12 profiles are in enforce mode.\n',
          },
        ],
      },
      evidence: [{ found: 'line 2: 12 profiles are in enforce mode.' }],
    },
    {
      name: 'stdout absent, on ssh',
      spec: { argv: ['/usr/sbin/aa-status'], stdout: { match: 'complain mode', expect: 'absent' } },
      targetKind: 'ssh',
      facts: { commands: [{ argv: ['/usr/sbin/aa-status'], stdout: '0 processes are unconfined\n' }] },
    },
  ],
  fail: [
    {
      name: 'wrong exit code',
      spec: { argv: AA, exitCode: 0 },
      facts: { commands: [{ argv: AA, exitCode: 1, stderr: 'apparmor not enabled\n' }] },
      evidence: [
        {
          resource: '/usr/sbin/aa-status --enabled',
          expected: 'exit code 0',
          found: 'exit code 1',
          detail: 'apparmor not enabled',
        },
      ],
    },
    {
      name: 'stdout missing the match',
      spec: { argv: ['/usr/bin/x'], stdout: { match: 'enabled' } },
      facts: { commands: [{ argv: ['/usr/bin/x'], stdout: 'disabled\n' }] },
      evidence: [{ expected: 'stdout matches /enabled/', found: 'no match' }],
    },
  ],
  notchecked: [
    { name: 'offline root', spec: { argv: AA }, targetKind: 'root', message: /cannot run on a root target/ },
  ],
  error: [
    {
      name: 'timed out',
      spec: { argv: AA },
      facts: { commands: [{ argv: AA, exitCode: null, timedOut: true }] },
      message: /did not finish/,
    },
    {
      name: 'killed',
      spec: { argv: AA, exitCode: 0 },
      facts: { commands: [{ argv: AA, exitCode: null }] },
      message: /killed/,
    },
  ],
  invalidSpec: [
    { name: 'shell string', spec: { argv: 'aa-status --enabled' }, field: 'argv' },
    { name: 'empty argv', spec: { argv: [] }, field: 'argv' },
    {
      name: 'regex invalid under its flags',
      spec: { argv: AA, stdout: { match: '\\p{L', flags: 'u' } },
      field: 'stdout.flags',
    },
    { name: 'stderr not supported', spec: { argv: AA, stderr: { match: 'x' } }, field: 'stderr' },
  ],
});
