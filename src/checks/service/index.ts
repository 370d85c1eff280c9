/**
 * `service`: a systemd unit is enabled / disabled / masked, and (on live targets) active.
 * Offline, enablement comes from the unit's WantedBy/RequiredBy links; live, from systemd itself.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { SystemdUnitValue } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, listText, notApplicable, notChecked, pass, readFact } from '../common/outcome.js';
import { missingSchema } from '../common/schema.js';
import { parseIni } from '../parsers/ini.js';

const spec = z
  .object({
    unit: z.string().regex(/^[A-Za-z0-9:_.@\\-]+$/, 'must be a systemd unit name'),
    enabled: z.boolean().optional(),
    masked: z.boolean().optional(),
    active: z.boolean().optional(),
    missing: missingSchema.optional(),
  })
  .strict()
  .refine((s) => s.enabled !== undefined || s.masked !== undefined || s.active !== undefined, {
    message: 'needs at least one of enabled, masked, active',
    path: ['enabled'],
  });

type Spec = z.output<typeof spec>;

/** `auditd` means `auditd.service`, as systemctl reads it. */
function unitName(s: Spec): string {
  return /\.(service|socket|timer|target|mount|automount|path|swap|slice|scope|device)$/.test(s.unit)
    ? s.unit
    : `${s.unit}.service`;
}

function isMasked(v: SystemdUnitValue): boolean {
  return v.masked || v.unitFileState === 'masked' || v.unitFileState === 'masked-runtime';
}

/**
 * The unit-file states for which `systemctl is-enabled` exits 0. CIS audits rely on that exit code,
 * so a static unit (no [Install] section, started as a dependency) counts as enabled too.
 */
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated']);

/** `/etc/systemd/system/multi-user.target.wants/x.service` -> `multi-user.target`. */
function wantingUnit(link: string): string {
  const parts = link.split('/');
  return (parts.at(-2) ?? link).replace(/\.(wants|requires)$/, '');
}

/** Offline there is no systemctl: a unit file without install directives is static. */
function isStatic(v: SystemdUnitValue): boolean {
  if (!v.unitFile) return false;
  return !parseIni(v.unitFile.text, v.unitFile.path).some(
    (a) =>
      a.section === 'Install' &&
      ['WantedBy', 'RequiredBy', 'UpheldBy', 'Alias', 'Also'].includes(a.key) &&
      a.value !== null,
  );
}

function enablement(v: SystemdUnitValue): { enabled: boolean; text: string } {
  if (isMasked(v)) return { enabled: false, text: 'masked' };
  if (v.unitFileState !== undefined)
    return { enabled: ENABLED_STATES.has(v.unitFileState), text: v.unitFileState };
  if (v.wantedBy.length > 0)
    return { enabled: true, text: `enabled (wanted by ${listText(v.wantedBy.map(wantingUnit))})` };
  if (isStatic(v)) return { enabled: true, text: 'static (no [Install] section)' };
  return { enabled: false, text: 'disabled (no WantedBy/RequiredBy links)' };
}

export default defineCheckType({
  id: 'service',
  version: 1,
  description: 'A systemd unit is enabled, disabled or masked, and active on live hosts.',
  spec,
  facts: (s) => [{ kind: 'systemd-unit', unit: unitName(s) }],
  evaluate(s, ctx): CheckOutcome {
    const unit = unitName(s);
    const got = readFact(ctx, { kind: 'systemd-unit', unit }, `unit ${unit}`);
    if (got.problem) return got.problem;
    const v = got.value;
    const masked = isMasked(v);
    const detail = v.unitFile ? v.unitFile.path : undefined;
    const item = (expected: string, found: string): Evidence => ({
      source: 'service',
      resource: unit,
      expected,
      found,
      ...(detail ? { detail } : {}),
    });

    if (v.unitFile === null && !masked) {
      const missing = s.missing ?? (s.enabled === true ? 'fail' : 'pass');
      const evidence = [item(s.enabled === true ? 'enabled' : 'installed', 'no unit file')];
      if (missing === 'pass') return pass(`${unit} is not installed, which satisfies this rule.`, evidence);
      if (missing === 'notapplicable')
        return notApplicable(`${unit} is not installed, so the rule does not apply.`, evidence);
      return fail(`${unit} is not installed (no unit file found).`, evidence);
    }

    const problems: Evidence[] = [];
    const checked: Evidence[] = [];
    if (s.enabled !== undefined) {
      const state = enablement(v);
      const e = item(s.enabled ? 'enabled' : 'not enabled', state.text);
      (state.enabled === s.enabled ? checked : problems).push(e);
    }
    if (s.masked !== undefined) {
      const e = item(s.masked ? 'masked' : 'not masked', masked ? 'masked' : 'not masked');
      (masked === s.masked ? checked : problems).push(e);
    }
    let note = '';
    if (s.active !== undefined) {
      if (v.activeState === undefined) {
        if (s.enabled === undefined && s.masked === undefined) {
          return notChecked(`Whether ${unit} is active cannot be known on an offline target.`);
        }
        note = ' (whether it is active is not checked on an offline target)';
      } else {
        const active = v.activeState === 'active' || v.activeState === 'reloading';
        const e = item(s.active ? 'active' : 'inactive', v.activeState);
        (active === s.active ? checked : problems).push(e);
      }
    }
    if (problems.length > 0) {
      const what = problems.map((p) => `${p.expected} but is ${p.found}`).join(', and ');
      return fail(`${unit} should be ${what}.`, problems);
    }
    return pass(`${unit} is ${checked.map((c) => c.expected).join(' and ')}${note}.`, checked);
  },
});
