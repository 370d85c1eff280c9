import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheckType } from '../core/checks/check-type.js';
import { type CheckCases, CheckTester, CheckTesterError, stableStringify } from './check-tester.js';
import { FakeHost } from './fake-host.js';

/** A well-behaved check: passes when the file contains "ok". */
const good = defineCheckType({
  id: 'test-good',
  version: 1,
  description: 'test',
  spec: z.object({ path: z.string().regex(/^\//), tag: z.string().default('t') }).strict(),
  facts: (s) => [{ kind: 'file-text', path: s.path }],
  evaluate(s, ctx) {
    const r = ctx.facts.get({ kind: 'file-text', path: s.path });
    if (r.status !== 'ok') return { status: 'error', message: 'no fact', evidence: [] };
    return r.value.text?.includes('ok')
      ? { status: 'pass', message: 'ok.', evidence: [{ source: 'file', resource: s.path }] }
      : {
          status: 'fail',
          message: 'not ok.',
          evidence: [{ source: 'file', resource: s.path, found: 'bad' }],
        };
  },
});

const table = (): CheckCases => ({
  pass: [{ name: 'p', spec: { path: '/a' }, files: { '/a': 'ok' } }],
  fail: [{ name: 'f', spec: { path: '/a' }, files: { '/a': 'no' }, evidence: [{ resource: '/a' }] }],
});

const tester = new CheckTester();

describe('CheckTester.validateCases rejects weak tables', () => {
  it('accepts a sound table', () => {
    expect(() => tester.validateCases(good, table())).not.toThrow();
  });

  it('requires pass cases', () => {
    const cases = { ...table(), pass: [] };
    expect(() => tester.validateCases(good, cases)).toThrow(/at least one "pass" case/);
  });

  it('requires a fail array', () => {
    const { fail: _fail, ...rest } = table();
    expect(() => tester.validateCases(good, rest as CheckCases)).toThrow(/at least one "fail" case/);
  });

  it('requires expected evidence on fail cases', () => {
    const cases = table();
    cases.fail = [{ name: 'f', spec: { path: '/a' }, files: { '/a': 'no' } }];
    expect(() => tester.validateCases(good, cases)).toThrow(/must list the evidence/);
    cases.fail = [{ name: 'f', spec: { path: '/a' }, files: { '/a': 'no' }, evidence: [] }];
    expect(() => tester.validateCases(good, cases)).toThrow(CheckTesterError);
  });

  it('rejects duplicate cases even when keys are ordered differently', () => {
    const cases = table();
    cases.pass.push({ name: 'p2', files: { '/a': 'ok' }, spec: { path: '/a' } });
    expect(() => tester.validateCases(good, cases)).toThrow(/duplicates case "p"/);
  });

  it('rejects duplicates across groups', () => {
    const cases = table();
    cases.error = [{ name: 'e', spec: { path: '/a' }, files: { '/a': 'ok' } }];
    expect(() => tester.validateCases(good, cases)).toThrow(/duplicates/);
  });

  it('rejects a reused case name', () => {
    const cases = table();
    cases.pass.push({ name: 'p', spec: { path: '/b' }, files: { '/b': 'ok' } });
    expect(() => tester.validateCases(good, cases)).toThrow(/name is used twice/);
  });

  it('rejects a spec the schema rejects, naming the field', () => {
    const cases = table();
    cases.pass.push({ name: 'bad', spec: { path: '/b', colour: 'red' } });
    expect(() => tester.validateCases(good, cases)).toThrow(/invalid for the schema.*colour/);
  });

  it('rejects an unknown case group', () => {
    const cases = { ...table(), fails: [] } as unknown as CheckCases;
    expect(() => tester.validateCases(good, cases)).toThrow(/unknown case group "fails"/);
  });

  it('rejects an invalidSpec case the schema accepts', () => {
    const cases = { ...table(), invalidSpec: [{ name: 'i', spec: { path: '/ok' }, field: 'path' }] };
    expect(() => tester.validateCases(good, cases)).toThrow(/accepted the spec/);
  });

  it('rejects an invalidSpec case whose error does not name the field', () => {
    const cases = { ...table(), invalidSpec: [{ name: 'i', spec: { path: 'relative' }, field: 'tag' }] };
    expect(() => tester.validateCases(good, cases)).toThrow(/does not name the field "tag"/);
  });

  it('accepts an invalidSpec case that names the field', () => {
    const cases = {
      ...table(),
      invalidSpec: [{ name: 'i', spec: { path: '/a', extra: 1 }, field: 'extra' }],
    };
    expect(() => tester.validateCases(good, cases)).not.toThrow();
  });

  it('run() throws at collection time on a weak table', () => {
    expect(() => tester.run(good, { pass: [], fail: [] })).toThrow(CheckTesterError);
  });
});

describe('CheckTester.runCase rejects checks that break the contract', () => {
  it('rejects a check that reads a fact it did not declare', async () => {
    const sneaky = defineCheckType({
      ...good,
      id: 'test-sneaky',
      evaluate(s, ctx) {
        ctx.facts.get({ kind: 'packages' });
        return good.evaluate(s, ctx);
      },
    });
    await expect(
      tester.runCase(sneaky, 'pass', { name: 'p', spec: { path: '/a' }, files: { '/a': 'ok' } }),
    ).rejects.toThrow(/read the fact packages that its facts\(\) did not declare/);
  });

  it('rejects a check that swallows the undeclared-fact error', async () => {
    const sneaky = defineCheckType({
      ...good,
      id: 'test-swallow',
      evaluate(s, ctx) {
        try {
          ctx.facts.get({ kind: 'walk' });
        } catch {
          // ignored on purpose
        }
        return good.evaluate(s, ctx);
      },
    });
    await expect(tester.evaluate(sneaky, { path: '/a' }, { files: { '/a': 'ok' } })).rejects.toThrow(
      /did not declare/,
    );
  });

  it('rejects a check that mutates its spec', async () => {
    const mutating = defineCheckType({
      ...good,
      id: 'test-mutating',
      evaluate(s, ctx) {
        (s as { path: string }).path = '/other';
        return good.evaluate(s, ctx);
      },
    });
    await expect(tester.evaluate(mutating, { path: '/a' }, { files: { '/a': 'ok' } })).rejects.toThrow(
      /mutated its spec/,
    );
  });

  it('rejects a check that mutates a fact value', async () => {
    const mutating = defineCheckType({
      ...good,
      id: 'test-mutating-fact',
      evaluate(s, ctx) {
        const r = ctx.facts.get({ kind: 'file-text', path: s.path });
        if (r.status === 'ok') (r.value as { text?: string }).text = 'ok';
        return good.evaluate(s, ctx);
      },
    });
    await expect(tester.evaluate(mutating, { path: '/a' }, { files: { '/a': 'no' } })).rejects.toThrow(
      /mutated/,
    );
  });

  it('rejects an impure check', async () => {
    let calls = 0;
    const impure = defineCheckType({
      ...good,
      id: 'test-impure',
      evaluate(s, ctx) {
        calls++;
        const base = good.evaluate(s, ctx);
        return { ...base, message: `call ${calls}.` };
      },
    });
    await expect(tester.evaluate(impure, { path: '/a' }, { files: { '/a': 'ok' } })).rejects.toThrow(
      /not pure/,
    );
  });

  it('fails a case whose status differs', async () => {
    await expect(
      tester.runCase(good, 'fail', {
        name: 'f',
        spec: { path: '/a' },
        files: { '/a': 'ok' },
        evidence: [{ resource: '/a' }],
      }),
    ).rejects.toThrow(/expected 'pass' to be 'fail'/);
  });

  it('fails a case whose evidence differs', async () => {
    await expect(
      tester.runCase(good, 'fail', {
        name: 'f',
        spec: { path: '/a' },
        files: { '/a': 'no' },
        evidence: [{ resource: '/b' }],
      }),
    ).rejects.toThrow(/evidence\[0\]/);
    await expect(
      tester.runCase(good, 'fail', {
        name: 'f',
        spec: { path: '/a' },
        files: { '/a': 'no' },
        evidence: [{ resource: '/a' }, { resource: '/a' }],
      }),
    ).rejects.toThrow(/evidence count/);
  });

  it('fails a case whose message differs', async () => {
    await expect(
      tester.runCase(good, 'pass', {
        name: 'p',
        spec: { path: '/a' },
        files: { '/a': 'ok' },
        message: /nope/,
      }),
    ).rejects.toThrow(/message/);
  });

  it('rejects a failure without evidence', async () => {
    const silent = defineCheckType({
      ...good,
      id: 'test-silent',
      evaluate: () => ({ status: 'fail', message: 'bad.', evidence: [] }),
    });
    await expect(
      tester.runCase(silent, 'fail', { name: 'f', spec: { path: '/a' }, evidence: [{ resource: '/a' }] }),
    ).rejects.toThrow(/must carry evidence/);
  });

  it('rejects evidence without a resource', async () => {
    const vague = defineCheckType({
      ...good,
      id: 'test-vague',
      evaluate: () => ({ status: 'pass', message: 'fine.', evidence: [{ source: 'file', resource: '' }] }),
    });
    await expect(tester.runCase(vague, 'pass', { name: 'p', spec: { path: '/a' } })).rejects.toThrow(
      /without a resource/,
    );
  });

  it('reports notchecked for a target kind the check does not support', async () => {
    const liveOnly = defineCheckType({ ...good, id: 'test-live', targets: ['local'] });
    const result = await tester.evaluate(liveOnly, { path: '/a' }, { targetKind: 'root' });
    expect(result.status).toBe('notchecked');
  });

  it('throws on an invalid spec in evaluate', async () => {
    await expect(tester.evaluate(good, { path: 'x' })).rejects.toThrow(/spec is invalid.*path/);
  });
});

describe('FakeHost', () => {
  it('answers file-glob per directory, sorted, regular files only, following links', () => {
    const host = new FakeHost({
      '/etc/sysctl.d/b.conf': 'b',
      '/etc/sysctl.d/a.conf': 'a',
      '/etc/sysctl.d/99-sysctl.conf': { link: '../sysctl.conf' },
      '/etc/sysctl.conf': 'main',
      '/etc/sysctl.d/README': 'x',
      '/usr/lib/sysctl.d/a.conf': 'vendor',
    });
    const r = host.answer({
      kind: 'file-glob',
      dirs: ['/etc/sysctl.d', '/usr/lib/sysctl.d'],
      pattern: '*.conf',
    });
    expect(r.status === 'ok' && r.value.files.map((f) => `${f.path}=${f.text}`)).toEqual([
      '/etc/sysctl.d/99-sysctl.conf=main',
      '/etc/sysctl.d/a.conf=a',
      '/etc/sysctl.d/b.conf=b',
      '/usr/lib/sysctl.d/a.conf=vendor',
    ]);
  });

  it('builds an sshd config tree with nested includes', () => {
    const host = new FakeHost({
      '/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPort 22\n',
      '/etc/ssh/sshd_config.d/10-a.conf': 'Include /etc/ssh/extra\n',
      '/etc/ssh/extra': 'X 1',
      '/etc/ssh/sshd_config.d/00-b.conf': 'Y 1',
    });
    const r = host.answer({ kind: 'config-tree', path: '/etc/ssh/sshd_config', syntax: 'sshd' });
    expect(r.status === 'ok' && r.value.files.map((f) => f.path)).toEqual([
      '/etc/ssh/sshd_config',
      '/etc/ssh/sshd_config.d/00-b.conf',
      '/etc/ssh/sshd_config.d/10-a.conf',
      '/etc/ssh/extra',
    ]);
  });

  it('parses installed packages from the dpkg status file', () => {
    const host = new FakeHost({
      '/var/lib/dpkg/status':
        'Package: a\nStatus: install ok installed\nVersion: 1.0-1\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 2\n',
    });
    const r = host.answer({ kind: 'packages' });
    expect(r.status === 'ok' && Object.keys(r.value.packages)).toEqual(['a']);
  });

  it('makes runtime facts unavailable offline and answers them live', () => {
    const offline = new FakeHost({}, { sysctl: { 'net.ipv4.ip_forward': 0 } }, 'root');
    expect(offline.answer({ kind: 'sysctl-runtime', key: 'net.ipv4.ip_forward' }).status).toBe('unavailable');
    const live = new FakeHost({}, { sysctl: { 'net/ipv4/ip_forward': 0 } }, 'local');
    const r = live.answer({ kind: 'sysctl-runtime', key: 'net.ipv4.ip_forward' });
    expect(r.status === 'ok' && r.value.value).toBe('0');
  });

  it('computes the walk from file modes and owners', () => {
    const host = new FakeHost({
      '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
      '/etc/group': 'root:x:0:\n',
      '/tmp': { type: 'dir', mode: '1777' },
      '/srv/orphan': { text: '', uid: 4242 },
    });
    const r = host.answer({ kind: 'walk' });
    expect(r.status === 'ok' && r.value.special.map((e) => e.path)).toEqual(['/tmp']);
    expect(r.status === 'ok' && r.value.unowned.map((e) => e.path)).toEqual(['/srv/orphan']);
  });

  it('serialises cases stably', () => {
    expect(stableStringify({ b: 1, a: [/x/, { d: 2, c: 3 }] })).toBe(
      stableStringify({ a: [/x/, { c: 3, d: 2 }], b: 1 }),
    );
  });
});
