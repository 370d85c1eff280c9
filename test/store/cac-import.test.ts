/**
 * Importing ComplianceAsCode rule directories (test/store/fixtures/cac, written in the shape of the
 * CaC repository): rule.yml fields, .var files as typed variables, macros recognised without
 * evaluating Jinja, remediations with placeholders, OVAL exports; and the errors for bad input.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoStore, openRuleStore, type RuleStore } from '../../src/store/index.js';
import { RULE, VALUE } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CAC = join(FIXTURES, 'cac');

let dir: string;
let storeDir: string;
let store: RuleStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-store-cac-'));
  storeDir = join(dir, 'store');
  await importIntoStore(CAC, { store: storeDir, sensitive: ['var_sshd_set_keepalive'] });
  store = await openRuleStore(storeDir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('import of ComplianceAsCode rule directories', () => {
  it('finds every rule directory and .var file', () => {
    expect(store.sources()).toMatchObject([
      { id: 'cac', kind: 'cac', origin: CAC, counts: { rules: 4, variables: 3, profiles: 0 } },
    ]);
    expect(store.rules().map((r) => r.shortId)).toEqual([
      'sshd_disable_root_login',
      'sshd_set_idle_timeout',
      'sshd_set_keepalive',
      'accounts_password_pam_minlen',
    ]);
    expect(() => store.datastreamPath('cac')).toThrow(/no data stream/);
  });

  it('reads rule.yml: texts, severity, identifiers, references per CaC key, platform, groups', () => {
    const rule = store.rule('sshd_set_idle_timeout');
    expect(rule).toMatchObject({
      id: `${RULE}sshd_set_idle_timeout`,
      title: 'Set SSH Client Alive Interval',
      severity: 'medium',
      groups: ['services', 'ssh', 'ssh_server'],
      idents: [{ system: 'https://ncp.nist.gov/cce', value: 'CCE-80906-8' }],
      // Of the if/else in rule.yml only the first branch is kept (Jinja is not evaluated).
      platforms: ['machine'],
      references: {
        'cis@ubuntu2204': ['5.2.15'],
        nist: ['CM-6(a)', 'AC-17(a)', 'AC-2(5)', 'AC-12', 'SC-10'],
        srg: ['SRG-OS-000126-GPOS-00066', 'SRG-OS-000163-GPOS-00072'],
        'stigid@ubuntu2204': ['UBTU-22-255030'],
        pcidss: ['Req-8.1.8'],
        hipaa: ['164.308(a)(4)(i)', '164.308(b)(1)'],
        ospp: ['FMT_SMF_EXT.1'],
      },
    });
    expect(rule.description).toContain('{{{ xccdf_value("sshd_idle_timeout_value") }}}');
    expect(rule.rationale).toMatch(/^Terminating an idle ssh session/);
  });

  it('recognises variables from xccdf_value, instantiate macros, OVAL external variables and templates', () => {
    expect(store.rule('sshd_set_idle_timeout').variables).toEqual([`${VALUE}sshd_idle_timeout_value`]);
    expect(store.rule('accounts_password_pam_minlen').variables).toEqual([`${VALUE}var_password_pam_minlen`]);
    const templated = store.rule('sshd_set_keepalive');
    expect(templated.template).toEqual({
      name: 'sshd_lineinfile',
      vars: { parameter: 'ClientAliveCountMax', xccdf_variable: 'var_sshd_set_keepalive', datatype: 'int' },
    });
    expect(templated.variables).toEqual([`${VALUE}var_sshd_set_keepalive`]);
    expect(templated.fixes).toEqual([]);
    expect(store.rule('sshd_disable_root_login').variables).toEqual([]);
  });

  it('expands the instantiate macros the way the CaC build does, the value as a placeholder', () => {
    const [ansible, bash] = store.rule('sshd_set_idle_timeout').fixes;
    expect(bash).toMatchObject({
      kind: 'bash',
      system: 'urn:xccdf:fix:script:sh',
      platform: 'multi_platform_all',
      complexity: 'low',
      disruption: 'low',
      reboot: false,
      strategy: 'restrict',
    });
    expect(bash!.content).toEqual([
      "\nsshd_idle_timeout_value='",
      { sub: `${VALUE}sshd_idle_timeout_value` },
      expect.stringMatching(/^'\n\n\n\{\{\{ bash_sshd_remediation\(parameter="ClientAliveInterval"/),
    ]);
    expect(ansible!.kind).toBe('ansible');
    expect(ansible!.content.slice(0, 3)).toEqual([
      '- name: XCCDF Value sshd_idle_timeout_value # promote to variable\n  set_fact:\n    sshd_idle_timeout_value: !!str ',
      { sub: `${VALUE}sshd_idle_timeout_value` },
      expect.stringMatching(/^\n {2}tags:\n {4}- always\n/),
    ]);
    // A header-less remediation keeps its platform line only.
    const headerless = store.rule('accounts_password_pam_minlen').fixes[1]!;
    expect([headerless.kind, headerless.platform, headerless.reboot, headerless.strategy]).toEqual([
      'bash',
      'multi_platform_all',
      undefined,
      undefined,
    ]);
  });

  it('points the OVAL check at oval/shared.xml with the definition id the build gives it', () => {
    expect(store.rule('sshd_set_idle_timeout').checks).toEqual([
      {
        system: 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
        href: 'services/ssh/ssh_server/sshd_set_idle_timeout/oval/shared.xml',
        name: 'oval:ssg-sshd_set_idle_timeout:def:1',
        exports: [`${VALUE}sshd_idle_timeout_value`],
      },
    ]);
  });

  it('types .var files through the shared typed variable', () => {
    expect(store.variable('sshd_idle_timeout_value')).toMatchObject({
      id: `${VALUE}sshd_idle_timeout_value`,
      title: 'SSH session Idle time',
      type: 'number',
      operator: 'equals',
      default: '300',
      selectors: { '5_minutes': '300', '10_minutes': '600', '15_minutes': '900' },
      interactive: false,
      sensitive: false,
    });
    expect(store.variable('var_sshd_set_keepalive').sensitive).toBe(true);
  });

  it.each([
    [
      'cis',
      undefined,
      [
        'sshd_disable_root_login',
        'sshd_set_idle_timeout',
        'sshd_set_keepalive',
        'accounts_password_pam_minlen',
      ],
    ],
    ['cis', '5.2.9', ['sshd_disable_root_login']],
    ['cis@debian11', '5.2.10', ['sshd_disable_root_login']],
    ['cis', '5.2', ['sshd_disable_root_login', 'sshd_set_idle_timeout', 'sshd_set_keepalive']],
    ['nist', 'IA-5', ['accounts_password_pam_minlen']],
    ['stig', 'UBTU-22-255045', ['sshd_disable_root_login']],
    ['ism', '0421', ['sshd_disable_root_login']],
    [undefined, 'SC-10', ['sshd_set_idle_timeout', 'sshd_set_keepalive']],
  ])('--framework %s --control %s', (framework, control, expected) => {
    expect(store.rules({ framework, control }).map((r) => r.shortId)).toEqual(expected);
  });

  it('reports the changes of a re-import of a modified tree', async () => {
    const copy = join(dir, 'cac-newer');
    await cp(CAC, copy, { recursive: true });
    await rm(join(copy, 'services/ssh/ssh_server/sshd_disable_root_login'), { recursive: true });
    const varFile = join(copy, 'services/ssh/ssh_server/sshd_idle_timeout_value.var');
    await writeFile(varFile, (await readFile(varFile, 'utf8')).replace('default: 300', 'default: 600'));
    const ruleFile = join(copy, 'system/accounts/accounts_password_pam_minlen/rule.yml');
    await writeFile(
      ruleFile,
      (await readFile(ruleFile, 'utf8')).replace('severity: medium', 'severity: high'),
    );
    const result = await importIntoStore(copy, { store: storeDir, sourceId: 'cac' });
    expect(result.diff).toMatchObject({
      rulesAdded: [],
      rulesRemoved: [`${RULE}sshd_disable_root_login`],
      rulesChanged: [{ id: `${RULE}accounts_password_pam_minlen`, fields: ['severity'] }],
      variableDefaultsChanged: [{ id: `${VALUE}sshd_idle_timeout_value`, from: '300', to: '600' }],
    });
    const again = await importIntoStore(copy, { store: storeDir, sourceId: 'cac' });
    expect(again.unchanged).toBe(true);
  });
});

describe('bad input', () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['a missing path', async () => join(dir, 'nope.xml'), /nope\.xml: no such file or directory/],
    [
      'a field of the wrong value: file, line and field',
      async () => join(FIXTURES, 'cac-malformed'),
      /cac-malformed\/sshd_bad_severity\/rule\.yml:5: severity: must be one of unknown, info, low, medium, high, got "critical"/,
    ],
    [
      'YAML that does not parse: file and line',
      async () => {
        const root = join(dir, 'bad-yaml');
        await mkdir(join(root, 'r1'), { recursive: true });
        await writeFile(
          join(root, 'r1', 'rule.yml'),
          "title: 'x'\nseverity: low\nreferences:\n  nist: AC-1\n bad: [\n",
        );
        return root;
      },
      /bad-yaml\/r1\/rule\.yml:5: /,
    ],
    [
      'a rule.yml without title',
      async () => {
        const root = join(dir, 'no-title');
        await mkdir(join(root, 'r1'), { recursive: true });
        await writeFile(join(root, 'r1', 'rule.yml'), 'severity: low\n');
        return root;
      },
      /no-title\/r1\/rule\.yml:1: title: missing/,
    ],
    [
      'references that are not a mapping',
      async () => {
        const root = join(dir, 'bad-refs');
        await mkdir(join(root, 'r1'), { recursive: true });
        await writeFile(join(root, 'r1', 'rule.yml'), 'title: x\n\nreferences:\n  - nist\n');
        return root;
      },
      /bad-refs\/r1\/rule\.yml:3: references: expected a mapping/,
    ],
    [
      'a .var of an unknown type',
      async () => {
        const root = join(dir, 'bad-var');
        await mkdir(join(root, 'r1'), { recursive: true });
        await writeFile(join(root, 'r1', 'rule.yml'), 'title: x\n');
        await writeFile(join(root, 'var_x.var'), 'title: x\ntype: integer\noptions:\n  default: 1\n');
        return root;
      },
      /bad-var\/var_x\.var:2: type: must be one of string, number, boolean, got "integer"/,
    ],
    [
      'a directory without rule.yml',
      async () => {
        const root = join(dir, 'empty-dir');
        await mkdir(root, { recursive: true });
        return root;
      },
      /empty-dir: no ComplianceAsCode rule directories/,
    ],
    [
      'a file that is not XML',
      async () => {
        const file = join(dir, 'notes.xml');
        await writeFile(file, 'just some text\n');
        return file;
      },
      /notes\.xml/,
    ],
    [
      'a standalone XCCDF benchmark',
      async () => {
        const file = join(dir, 'lone-xccdf.xml');
        await writeFile(
          file,
          '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_x_benchmark_b"><status>draft</status><version>1</version></Benchmark>',
        );
        return file;
      },
      /lone-xccdf\.xml: a standalone XCCDF document, not a SCAP source data stream/,
    ],
  ];
  it.each(cases)('%s', async (_name, make, message) => {
    const path = await make();
    const before = await readFile(join(storeDir, 'manifest.json'), 'utf8');
    await expect(importIntoStore(path, { store: storeDir })).rejects.toThrow(message);
    // A refused import leaves the store as it was.
    expect(await readFile(join(storeDir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('refuses a --sensitive mark that names no variable', async () => {
    await expect(importIntoStore(CAC, { store: storeDir, sensitive: ['var_typo'] })).rejects.toThrow(
      /--sensitive var_typo: no variable/,
    );
  });
});

describe('one writer at a time', () => {
  it('two imports at once both land in the manifest', async () => {
    const shared = join(dir, 'concurrent');
    await Promise.all(
      ['one', 'two', 'three'].map((id) => importIntoStore(CAC, { store: shared, sourceId: id })),
    );
    expect((await openRuleStore(shared)).sources().map((s) => s.id)).toEqual(['one', 'three', 'two']);
  });

  it('takes over the lock of a process that is gone, and waits for a live one', async () => {
    const shared = join(dir, 'locked');
    await mkdir(shared, { recursive: true });
    // Above the kernel's largest pid_max (2^22): no such process can exist.
    await writeFile(join(shared, '.lock'), '4194305');
    await importIntoStore(CAC, { store: shared });
    await writeFile(join(shared, '.lock'), String(process.pid));
    const { withStoreLock } = await import('../../src/store/lock.js');
    await expect(withStoreLock(shared, async () => 'never', 300)).rejects.toThrow(
      new RegExp(`another import \\(pid ${process.pid}\\) is writing this store`),
    );
    await rm(join(shared, '.lock'));
  });
});
