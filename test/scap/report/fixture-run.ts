/**
 * A hand-built XccdfRun for profile `main` of fixtures/report-ds.xml, with the results oscap 1.3.7
 * finds for it on any Linux host (/etc/passwd exists, is owned by root and lists root; the other
 * file and user do not exist). Items are numbered from 1; their entities are those oscap writes.
 */
import type { XccdfBenchmark } from '../../../src/scap/model/xccdf.js';
import type { ProbeItem } from '../../../src/scap/oval-session/probe.js';
import { computeScores } from '../../../src/scap/report/score.js';
import type { OvalRun, XccdfResult, XccdfRuleRun, XccdfRun } from '../../../src/scap/results/model.js';
import { resolveProfile } from '../../../src/scap/xccdf/resolve-profile.js';

export const PROFILE = 'xccdf_org.vouch_profile_main';
const OVAL_HREF = 'report-oval.xml';
const TIME = '2026-11-26T02:29:44+00:00';

const RESULTS: Record<string, { result: XccdfResult; def?: string }> = {
  xccdf_org_vouch_rule_passwd_exists: { result: 'pass', def: 'oval:vouch:def:1' },
  xccdf_org_vouch_rule_no_such_file: { result: 'fail', def: 'oval:vouch:def:2' },
  xccdf_org_vouch_rule_passwd_owner: { result: 'pass', def: 'oval:vouch:def:5' },
  xccdf_org_vouch_rule_root_in_passwd: { result: 'pass', def: 'oval:vouch:def:3' },
  xccdf_org_vouch_rule_no_such_user: { result: 'fail', def: 'oval:vouch:def:4' },
  xccdf_org_vouch_rule_ocil_only: { result: 'notchecked' },
  xccdf_org_vouch_rule_heavy_fail: { result: 'fail', def: 'oval:vouch:def:2' },
};

function key(ruleId: string): string {
  return ruleId.replace(/\./g, '_');
}

export function fixtureOvalRun(): OvalRun {
  const v = (value: string, datatype?: string): ProbeItem['fields'][string] => [
    datatype ? { value, datatype } : { value },
  ];
  const fileItem = {
    type: 'file_item',
    family: 'unix',
    status: 'exists' as const,
    fields: {
      filepath: v('/etc/passwd'),
      path: v('/etc'),
      filename: v('passwd'),
      type: v('regular'),
      group_id: v('0', 'int'),
      user_id: v('0', 'int'),
      a_time: v('1795659671', 'int'),
      c_time: v('1795659671', 'int'),
      m_time: v('1795659671', 'int'),
      size: v('1623', 'int'),
      suid: v('false', 'boolean'),
      sgid: v('false', 'boolean'),
      sticky: v('false', 'boolean'),
      uread: v('true', 'boolean'),
      uwrite: v('true', 'boolean'),
      uexec: v('false', 'boolean'),
      gread: v('true', 'boolean'),
      gwrite: v('false', 'boolean'),
      gexec: v('false', 'boolean'),
      oread: v('true', 'boolean'),
      owrite: v('false', 'boolean'),
      oexec: v('false', 'boolean'),
      has_extended_acl: v('false', 'boolean'),
    },
  };
  const textItem = {
    type: 'textfilecontent_item',
    family: 'ind',
    status: 'exists' as const,
    fields: {
      filepath: v('/etc/passwd'),
      path: v('/etc'),
      filename: v('passwd'),
      pattern: v('^root:x:(\\d+):'),
      instance: v('1', 'int'),
      line: v('^root:x:(\\d+):'),
      text: v('root:x:0:'),
      subexpression: v('0'),
    },
  };
  const userVariables = [
    { variableId: 'oval:vouch:var:2', value: '^vouch-no-such-user:' },
    { variableId: 'oval:vouch:var:1', value: 'vouch-no-such-user' },
  ];
  const test = (id: string, result: 'true' | 'false', checkExistence: string, items: [number, string][]) => ({
    id,
    result,
    check: 'all',
    checkExistence,
    stateOperator: 'AND',
    testedItems: items.map(([itemId, r]) => ({ itemId, result: r as 'true' })),
    testedVariables: id === 'oval:vouch:tst:4' ? userVariables : [],
  });
  return {
    href: OVAL_HREF,
    definitions: new Map([
      ['oval:vouch:def:1', 'true'],
      ['oval:vouch:def:2', 'false'],
      ['oval:vouch:def:3', 'true'],
      ['oval:vouch:def:4', 'false'],
      ['oval:vouch:def:5', 'true'],
    ]),
    tests: new Map(
      [
        test('oval:vouch:tst:1', 'true', 'all_exist', [[1, 'not evaluated']]),
        test('oval:vouch:tst:2', 'false', 'all_exist', []),
        test('oval:vouch:tst:3', 'true', 'at_least_one_exists', [[2, 'not evaluated']]),
        test('oval:vouch:tst:4', 'false', 'at_least_one_exists', []),
        test('oval:vouch:tst:5', 'true', 'all_exist', [[1, 'true']]),
      ].map((t) => [t.id, t]),
    ),
    objects: new Map(
      [
        { id: 'oval:vouch:obj:1', flag: 'complete' as const, itemIds: [1], messages: [], variableValues: [] },
        {
          id: 'oval:vouch:obj:2',
          flag: 'does not exist' as const,
          itemIds: [],
          messages: [],
          variableValues: [],
        },
        { id: 'oval:vouch:obj:3', flag: 'complete' as const, itemIds: [2], messages: [], variableValues: [] },
        {
          id: 'oval:vouch:obj:4',
          flag: 'does not exist' as const,
          itemIds: [],
          messages: [],
          variableValues: userVariables,
        },
      ].map((o) => [o.id, o]),
    ),
    items: new Map<number, ProbeItem>([
      [1, fileItem],
      [2, textItem],
    ]),
  };
}

/** The run, given the parsed fixture Benchmark (rule order, severities, weights, values). */
export function fixtureRun(benchmark: XccdfBenchmark): XccdfRun {
  const resolved = resolveProfile(benchmark, PROFILE);
  const selected = new Set(resolved.selectedRules.map((r) => r.id));
  const rules: XccdfRuleRun[] = [...benchmark.rules.values()].map((rule) => {
    const planned = selected.has(rule.id) ? RESULTS[key(rule.id)] : undefined;
    const result = planned?.result ?? 'notselected';
    const check = rule.checks[0];
    const withCheck = planned?.def !== undefined && check !== undefined;
    return {
      ruleId: rule.id,
      result,
      severity: rule.severity,
      role: rule.role,
      weight: rule.weight,
      time: TIME,
      check: withCheck
        ? {
            system: check.system,
            href: check.contentRefs[0]?.href ?? '',
            name: check.contentRefs[0]?.name ?? '',
            exports: check.exports.map((e) => ({
              ...e,
              value: resolved.values.get(e.valueId)?.value ?? '',
            })),
          }
        : undefined,
      ovalResult: undefined,
      messages:
        result === 'notchecked'
          ? [{ severity: 'info', text: 'No candidate or applicable check found.' }]
          : [],
      idents: rule.idents,
    };
  });
  return {
    benchmarkId: benchmark.id,
    profileId: PROFILE,
    profileTitle: 'Main',
    testResultId: `xccdf_org.open-scap_testresult_${PROFILE}`,
    startTime: TIME,
    endTime: TIME,
    target: {
      name: 'vm',
      addresses: ['127.0.0.1', '0:0:0:0:0:0:0:1'],
      facts: [
        { name: 'urn:xccdf:fact:scanner:name', type: 'string', value: 'Vouch' },
        { name: 'urn:xccdf:fact:asset:identifier:fqdn', type: 'string', value: 'vm.example' },
        { name: 'urn:xccdf:fact:asset:identifier:host_name', type: 'string', value: 'vm' },
        { name: 'urn:xccdf:fact:ethernet:MAC', type: 'string', value: '02:FC:00:00:00:01' },
        { name: 'urn:xccdf:fact:asset:identifier:mac', type: 'string', value: '02:FC:00:00:00:01' },
      ],
    },
    applicablePlatforms: [],
    setValues: [...resolved.values.values()].map((value) => ({ valueId: value.id, value: value.value })),
    rules,
    scores: computeScores(benchmark, rules),
    oval: new Map([[OVAL_HREF, fixtureOvalRun()]]),
    tailoring: undefined,
  };
}
