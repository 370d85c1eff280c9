import { CheckTester } from '../../testing/check-tester.js';
import all from '../all/index.js';
import any from '../any/index.js';
import none from '../none/index.js';

const chrony = { type: 'package', spec: { name: 'chrony' } };
const timesyncd = { type: 'package', spec: { name: 'systemd-timesyncd' } };
const ntp = { type: 'package', spec: { name: 'ntp' } };
const shadowMode = { type: 'file', spec: { path: '/etc/shadow', mode: '0640' } };
const shadowMissingNa = {
  type: 'file',
  spec: { path: '/etc/gshadow-', mode: '0640', missing: 'notapplicable' },
};
const liveOnly = { type: 'command', spec: { argv: ['/usr/bin/true'] } };
const brokenPackages = {
  results: { packages: { status: 'error' as const, message: 'dpkg status unreadable' } },
};

const tester = new CheckTester();

tester.run(any, {
  pass: [
    {
      name: 'one alternative passes',
      spec: { checks: [chrony, timesyncd] },
      facts: { packages: ['systemd-timesyncd'] },
      evidence: [{ source: 'package', resource: 'systemd-timesyncd' }],
      message: /^systemd-timesyncd is installed \(1 of 2 alternatives passed\)\.$/,
    },
    {
      name: 'a pass wins over an indeterminate child',
      spec: { checks: [liveOnly, chrony] },
      facts: { packages: ['chrony'] },
      evidence: [{ resource: 'chrony' }],
    },
  ],
  fail: [
    {
      name: 'no alternative passes',
      spec: { checks: [chrony, timesyncd] },
      facts: { packages: ['bash'] },
      evidence: [
        { source: 'package', resource: 'chrony', found: 'not installed' },
        { source: 'package', resource: 'systemd-timesyncd', found: 'not installed' },
      ],
      message: /None of the 2 alternatives passed/,
    },
  ],
  notchecked: [
    {
      name: 'indeterminate beats fail when nothing passes',
      spec: { checks: [liveOnly, chrony] },
      facts: { packages: ['bash'] },
    },
  ],
  notapplicable: [{ name: 'all children notapplicable', spec: { checks: [shadowMissingNa] } }],
  error: [
    {
      name: 'a nested spec error surfaces as error',
      spec: { checks: [{ type: 'package', spec: { nme: 'x' } }] },
      message: /Invalid package spec: nme/,
    },
    {
      name: 'unknown nested type',
      spec: { checks: [{ type: 'packages', spec: {} }] },
      message: /Unknown check type/,
    },
  ],
  invalidSpec: [
    { name: 'empty list', spec: { checks: [] }, field: 'checks' },
    { name: 'child without type', spec: { checks: [{ spec: {} }] }, field: 'checks.0.type' },
  ],
});

tester.run(all, {
  pass: [
    {
      name: 'every child passes, notapplicable children left out',
      spec: { checks: [chrony, shadowMode, shadowMissingNa] },
      files: { '/etc/shadow': { text: '', mode: '0600' } },
      facts: { packages: ['chrony'] },
      evidence: [{ resource: 'chrony' }, { resource: '/etc/shadow' }],
      message: /All 2 applicable checks passed/,
    },
  ],
  fail: [
    {
      name: 'a fail wins over an error',
      spec: { checks: [shadowMode, chrony] },
      files: { '/etc/shadow': { text: '', mode: '0644' } },
      facts: brokenPackages,
      evidence: [{ source: 'file', resource: '/etc/shadow', found: 'mode 0644' }],
    },
  ],
  error: [
    {
      name: 'error without a fail',
      spec: { checks: [shadowMode, chrony] },
      files: { '/etc/shadow': { text: '', mode: '0600' } },
      facts: brokenPackages,
      message: /dpkg status unreadable/,
    },
  ],
  notchecked: [
    {
      name: 'a live-only child on an offline root',
      spec: { checks: [shadowMode, liveOnly] },
      files: { '/etc/shadow': { text: '', mode: '0600' } },
    },
  ],
});

tester.run(all, {
  pass: [
    {
      name: 'identical children pass once in the evidence',
      spec: { checks: [chrony, chrony] },
      facts: { packages: ['chrony'] },
      evidence: [{ resource: 'chrony' }],
    },
  ],
  fail: [
    {
      name: 'children failing for the same reason are reported once',
      spec: { checks: [chrony, chrony] },
      facts: { packages: ['bash'] },
      evidence: [{ resource: 'chrony', found: 'not installed' }],
      message: /^2 of 2 required checks failed: package: Expected installed, but chrony is not installed\.$/,
    },
  ],
});

tester.run(none, {
  pass: [
    {
      name: 'no child passes',
      spec: { checks: [{ type: 'package', spec: { name: 'telnetd' } }, ntp] },
      facts: { packages: ['bash'] },
      evidence: [{ resource: 'telnetd' }, { resource: 'ntp' }],
    },
  ],
  fail: [
    {
      name: 'the passing child is the evidence',
      spec: { checks: [ntp, chrony] },
      facts: { packages: ['chrony'] },
      evidence: [{ source: 'package', resource: 'chrony', found: '1.0-1' }],
    },
  ],
  error: [{ name: 'indeterminate without a pass', spec: { checks: [ntp] }, facts: brokenPackages }],
});
