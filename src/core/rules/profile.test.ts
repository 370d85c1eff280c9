import { describe, expect, it } from 'vitest';
import { platformMatches } from './platforms.js';
import { type Profile, resolveProfile } from './profile.js';
import type { Rule } from './rule.js';
import type { VariableDefinition } from './variables.js';

const rule = (id: string, section: string): Rule =>
  ({
    id,
    section,
    title: id,
    description: id,
    rationale: id,
    severity: 'low',
    weight: 1,
    references: {},
    variables: [],
    check: { type: 'x', spec: {} },
    remediation: {},
  }) as Rule;

const rules = [
  rule('sshd-a', 'ssh'),
  rule('sshd-b', 'ssh'),
  rule('kmod-cramfs', 'filesystem'),
  rule('aide-installed', 'packages'),
];
const profile = (p: Partial<Profile> & Pick<Profile, 'id'>): Profile => ({
  title: p.id,
  description: '',
  platforms: [],
  extends: null,
  select: [],
  deselect: [],
  variables: {},
  ...p,
});
const variables = new Map<string, VariableDefinition>([
  ['tries', { name: 'tries', type: 'number', default: 4, max: 6, description: '', sensitive: false }],
]);

describe('resolveProfile', () => {
  const profiles = new Map([
    ['l1', profile({ id: 'l1', select: ['sshd-*', 'section:filesystem'], variables: { tries: 5 } })],
    [
      'l2',
      profile({
        id: 'l2',
        extends: 'l1',
        select: ['aide-installed'],
        deselect: ['sshd-b'],
        variables: { tries: 4 },
      }),
    ],
    ['loop-a', profile({ id: 'loop-a', extends: 'loop-b' })],
    ['loop-b', profile({ id: 'loop-b', extends: 'loop-a' })],
    ['bad-var', profile({ id: 'bad-var', variables: { tries: 9 } })],
  ]);

  it('applies globs, sections, extends and deselect in order, child values last', () => {
    const resolved = resolveProfile('l2', profiles, rules, variables);
    expect(resolved.profile.id).toBe('l2');
    expect(resolved.ruleIds).toEqual(['sshd-a', 'kmod-cramfs', 'aide-installed']);
    expect(resolved.variables.get('tries')).toBe(4);
  });

  it.each([
    ['nope', /unknown profile "nope" \(known: bad-var, l1, l2, loop-a, loop-b\)/],
    ['loop-a', /extends itself/],
    ['bad-var', /variables\.tries.*must be <= 6/],
  ])('rejects %s', (id, message) => {
    expect(() => resolveProfile(id, profiles, rules, variables)).toThrow(message);
  });
});

describe('platformMatches', () => {
  const debian12 = { id: 'debian', versionId: '12', idLike: [], prettyName: '', fields: {} };
  const ubuntu2204 = { id: 'ubuntu', versionId: '22.04', idLike: ['debian'], prettyName: '', fields: {} };
  it.each([
    ['debian', debian12, true],
    ['debian>=12', debian12, true],
    ['debian>12', debian12, false],
    ['ubuntu>=22.04', ubuntu2204, true],
    ['ubuntu<22.04', ubuntu2204, false],
    ['debian', ubuntu2204, true],
    ['debian>=12', ubuntu2204, false],
    ['rhel', debian12, false],
  ] as const)('%s on %o is %s', (condition, os, expected) => {
    expect(platformMatches(condition, os)).toBe(expected);
  });
});
