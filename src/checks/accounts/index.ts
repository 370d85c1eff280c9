/**
 * `accounts`: assertions over passwd / shadow / group. Each offending account or group is one
 * evidence item pointing at its file and line.
 */
import { z } from 'zod';
import type { EvaluateContext } from '../../core/checks/check-type.js';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { GroupValue, PasswdValue, ShadowEntry, ShadowValue } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, listText, pass, readFact } from '../common/outcome.js';
import { lastWins, parseLoginDefs } from '../parsers/login-defs.js';

const simple = <N extends string>(name: N) => z.object({ assert: z.literal(name) }).strict();

const spec = z.discriminatedUnion('assert', [
  simple('unique-uid0'),
  simple('no-empty-passwords'),
  simple('shadowed-passwords'),
  z
    .object({ assert: z.literal('password-max-days'), max: z.number().int().nonnegative().default(365) })
    .strict(),
  z
    .object({ assert: z.literal('password-min-days'), min: z.number().int().nonnegative().default(1) })
    .strict(),
  z
    .object({ assert: z.literal('password-warn-days'), min: z.number().int().nonnegative().default(7) })
    .strict(),
  z
    .object({ assert: z.literal('password-inactive'), max: z.number().int().nonnegative().default(30) })
    .strict(),
  simple('system-accounts-nologin'),
  simple('unique-uids'),
  simple('unique-gids'),
  simple('unique-usernames'),
  simple('unique-groupnames'),
  simple('passwd-groups-exist'),
  simple('root-gid-zero'),
  simple('shadow-group-empty'),
]);

type Spec = z.output<typeof spec>;
type Assert = Spec['assert'];

const NEEDS: Record<Assert, Array<'passwd' | 'shadow' | 'group'>> = {
  'unique-uid0': ['passwd'],
  'no-empty-passwords': ['passwd', 'shadow'],
  'shadowed-passwords': ['passwd'],
  'password-max-days': ['shadow'],
  'password-min-days': ['shadow'],
  'password-warn-days': ['shadow'],
  'password-inactive': ['shadow'],
  'system-accounts-nologin': ['passwd'],
  'unique-uids': ['passwd'],
  'unique-gids': ['group'],
  'unique-usernames': ['passwd'],
  'unique-groupnames': ['group'],
  'passwd-groups-exist': ['passwd', 'group'],
  'root-gid-zero': ['passwd'],
  'shadow-group-empty': ['passwd', 'group'],
};

/** Accounts that shut the machine down by design keep their special shells (as CIS allows). */
const SPECIAL_SHELL_ACCOUNTS = new Set(['root', 'sync', 'shutdown', 'halt']);
const NOLOGIN = /(^|\/)(nologin|false)$/;
const LOGIN_DEFS = '/etc/login.defs';
/** useradd's default when login.defs does not say otherwise. */
const DEFAULT_UID_MIN = 1000;

interface Tables {
  passwd: PasswdValue;
  shadow: ShadowValue;
  group: GroupValue;
  /** First uid of human accounts (login.defs UID_MIN): below it are system accounts. */
  uidMin: number;
}

/** A usable password hash: not empty and not locked (`!`, `*`). */
const hasPassword = (e: ShadowEntry) =>
  e.password !== '' && !e.password.startsWith('!') && !e.password.startsWith('*');

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string | number): T[][] {
  const groups = new Map<string | number, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.values()].filter((g) => g.length > 1);
}

interface Finding {
  evidence: Evidence;
  name: string;
}

function assess(s: Spec, t: Tables): { findings: Finding[]; summary: string; ok: string } {
  const account = (file: string, name: string, line: number, expected: string, found: string): Finding => ({
    name,
    evidence: { source: 'account', resource: file, line, expected, found, detail: `account ${name}` },
  });
  const group = (file: string, name: string, line: number, expected: string, found: string): Finding => ({
    name,
    evidence: { source: 'group', resource: file, line, expected, found, detail: `group ${name}` },
  });
  const P = t.passwd;
  const S = t.shadow;
  const G = t.group;
  switch (s.assert) {
    case 'unique-uid0':
      return {
        findings: P.entries
          .filter((e) => e.uid === 0 && e.name !== 'root')
          .map((e) => account(P.path, e.name, e.line, 'only root has uid 0', 'uid 0')),
        summary: 'have uid 0 besides root',
        ok: 'Only root has uid 0.',
      };
    case 'no-empty-passwords':
      return {
        findings: [
          ...S.entries
            .filter((e) => e.password === '')
            .map((e) => account(S.path, e.name, e.line, 'a password or a locked field', 'empty password')),
          ...P.entries
            .filter((e) => e.password === '')
            .map((e) => account(P.path, e.name, e.line, 'password field "x"', 'empty password')),
        ],
        summary: 'have an empty password',
        ok: 'No account has an empty password.',
      };
    case 'shadowed-passwords':
      return {
        findings: P.entries
          .filter((e) => e.password !== 'x')
          .map((e) =>
            account(
              P.path,
              e.name,
              e.line,
              'password field "x"',
              e.password === '' ? 'empty' : 'a password in /etc/passwd',
            ),
          ),
        summary: 'keep their password outside /etc/shadow',
        ok: 'Every account uses a shadowed password.',
      };
    case 'password-max-days':
    case 'password-inactive': {
      const field = s.assert === 'password-max-days' ? 'maxDays' : 'inactiveDays';
      const label = s.assert === 'password-max-days' ? 'maximum password age' : 'inactivity lock';
      const max = s.max;
      return {
        findings: S.entries
          .filter(hasPassword)
          .filter((e) => e[field] === null || (e[field] as number) < 0 || (e[field] as number) > max)
          .map((e) =>
            account(
              S.path,
              e.name,
              e.line,
              `${label} <= ${max} days`,
              e[field] === null ? 'not set' : `${e[field]} days`,
            ),
          ),
        summary: `have no ${label} of at most ${max} days`,
        ok: `Every account with a password has a ${label} of at most ${max} days.`,
      };
    }
    case 'password-min-days':
    case 'password-warn-days': {
      const field = s.assert === 'password-min-days' ? 'minDays' : 'warnDays';
      const label = s.assert === 'password-min-days' ? 'minimum password age' : 'password expiry warning';
      const min = s.min;
      return {
        findings: S.entries
          .filter(hasPassword)
          .filter((e) => e[field] === null || (e[field] as number) < min)
          .map((e) =>
            account(
              S.path,
              e.name,
              e.line,
              `${label} >= ${min} days`,
              e[field] === null ? 'not set' : `${e[field]} days`,
            ),
          ),
        summary: `have a ${label} under ${min} days`,
        ok: `Every account with a password has a ${label} of at least ${min} days.`,
      };
    }
    case 'system-accounts-nologin':
      return {
        findings: P.entries
          .filter((e) => e.uid < t.uidMin && !SPECIAL_SHELL_ACCOUNTS.has(e.name) && !NOLOGIN.test(e.shell))
          .map((e) =>
            account(P.path, e.name, e.line, 'shell nologin or false', `shell ${e.shell || '(none)'}`),
          ),
        summary: `are system accounts (uid < ${t.uidMin}) with a login shell`,
        ok: 'Every system account has a non-login shell.',
      };
    case 'unique-uids':
    case 'unique-usernames': {
      const byUid = s.assert === 'unique-uids';
      return {
        findings: duplicates(P.entries, (e) => (byUid ? e.uid : e.name)).flatMap((dup) =>
          dup.map((e) =>
            account(
              P.path,
              e.name,
              e.line,
              byUid ? 'a unique uid' : 'a unique name',
              byUid
                ? `uid ${e.uid} shared by ${dup.map((d) => d.name).join(', ')}`
                : `name used on lines ${dup.map((d) => d.line).join(', ')}`,
            ),
          ),
        ),
        summary: byUid ? 'share a uid' : 'share a user name',
        ok: byUid ? 'Every uid is unique.' : 'Every user name is unique.',
      };
    }
    case 'unique-gids':
    case 'unique-groupnames': {
      const byGid = s.assert === 'unique-gids';
      return {
        findings: duplicates(G.entries, (e) => (byGid ? e.gid : e.name)).flatMap((dup) =>
          dup.map((e) =>
            group(
              G.path,
              e.name,
              e.line,
              byGid ? 'a unique gid' : 'a unique name',
              byGid
                ? `gid ${e.gid} shared by ${dup.map((d) => d.name).join(', ')}`
                : `name used on lines ${dup.map((d) => d.line).join(', ')}`,
            ),
          ),
        ),
        summary: byGid ? 'share a gid' : 'share a group name',
        ok: byGid ? 'Every gid is unique.' : 'Every group name is unique.',
      };
    }
    case 'passwd-groups-exist': {
      const gids = new Set(G.entries.map((g) => g.gid));
      return {
        findings: P.entries
          .filter((e) => !gids.has(e.gid))
          .map((e) =>
            account(P.path, e.name, e.line, `gid ${e.gid} defined in ${G.path}`, `gid ${e.gid} has no group`),
          ),
        summary: 'have a primary group that does not exist',
        ok: `Every primary group in ${P.path} exists in ${G.path}.`,
      };
    }
    case 'root-gid-zero': {
      const root = P.entries.find((e) => e.name === 'root');
      if (!root) {
        return {
          findings: [
            {
              name: 'root',
              evidence: {
                source: 'account',
                resource: P.path,
                expected: 'root with gid 0',
                found: 'no root account',
                detail: 'account root',
              },
            },
          ],
          summary: 'missing',
          ok: '',
        };
      }
      return {
        findings: root.gid === 0 ? [] : [account(P.path, 'root', root.line, 'gid 0', `gid ${root.gid}`)],
        summary: 'have a primary gid other than 0',
        ok: 'root’s primary group is gid 0.',
      };
    }
    case 'shadow-group-empty': {
      const shadow = G.entries.find((g) => g.name === 'shadow');
      if (!shadow) return { findings: [], summary: '', ok: 'There is no shadow group.' };
      return {
        findings: [
          ...(shadow.members.length
            ? [
                group(
                  G.path,
                  shadow.members.join(', '),
                  shadow.line,
                  'no members',
                  `members ${shadow.members.join(',')}`,
                ),
              ]
            : []),
          ...P.entries
            .filter((e) => e.gid === shadow.gid)
            .map((e) =>
              account(
                P.path,
                e.name,
                e.line,
                'primary group other than shadow',
                `primary group shadow (${shadow.gid})`,
              ),
            ),
        ],
        summary: 'are members of the shadow group',
        ok: 'The shadow group has no members.',
      };
    }
  }
}

/** Summaries are written for several accounts ("have …"); one account reads "has …". */
function singular(summary: string): string {
  const phrases: Array<[RegExp, string]> = [
    [/^are system accounts\b/, 'is a system account'],
    [/^are members\b/, 'is a member'],
    [/^have\b/, 'has'],
    [/^keep their\b/, 'keeps its'],
    [/^share\b/, 'shares'],
    [/^are\b/, 'is'],
  ];
  const hit = phrases.find(([re]) => re.test(summary));
  return hit ? summary.replace(hit[0], hit[1]) : summary;
}

function load(s: Spec, ctx: EvaluateContext): Tables | CheckOutcome {
  const tables: Partial<Tables> = {};
  for (const kind of NEEDS[s.assert]) {
    const got = readFact(ctx, { kind }, `/etc/${kind}`);
    if (got.problem) return got.problem;
    (tables as Record<string, unknown>)[kind] = got.value;
  }
  let uidMin = DEFAULT_UID_MIN;
  if (s.assert === 'system-accounts-nologin') {
    const defs = readFact(ctx, { kind: 'file-text', path: LOGIN_DEFS }, LOGIN_DEFS);
    if (defs.problem) return defs.problem;
    const value = lastWins(parseLoginDefs(defs.value.text ?? '', LOGIN_DEFS)).get('UID_MIN')?.value;
    if (value !== undefined && /^\d+$/.test(value)) uidMin = Number(value);
  }
  const empty = (path: string) => ({ path, entries: [] });
  return {
    passwd: tables.passwd ?? empty('/etc/passwd'),
    shadow: tables.shadow ?? empty('/etc/shadow'),
    group: tables.group ?? empty('/etc/group'),
    uidMin,
  };
}

export default defineCheckType({
  id: 'accounts',
  version: 1,
  description: 'Assertions over the accounts and groups in passwd, shadow and group.',
  spec,
  facts(s): FactRequest[] {
    const requests: FactRequest[] = NEEDS[s.assert].map((kind) => ({ kind }));
    if (s.assert === 'system-accounts-nologin') requests.push({ kind: 'file-text', path: LOGIN_DEFS });
    return requests;
  },
  evaluate(s, ctx): CheckOutcome {
    const tables = load(s, ctx);
    if ('status' in tables) return tables;
    const { findings, summary, ok } = assess(s, tables);
    if (findings.length === 0) {
      const files = NEEDS[s.assert].map((kind) => tables[kind].path);
      return pass(
        ok,
        files.map((resource) => ({ source: 'file', resource, found: 'no offending entry' })),
      );
    }
    if (summary === 'missing')
      return fail(
        `${tables.passwd.path} has no root account.`,
        findings.map((f) => f.evidence),
      );
    const names = [...new Set(findings.map((f) => f.name))];
    return fail(
      `${listText(names)} ${names.length === 1 ? singular(summary) : summary}.`,
      findings.map((f) => f.evidence),
    );
  },
});
