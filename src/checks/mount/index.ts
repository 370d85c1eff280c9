/**
 * `mount`: a mount point is a separate filesystem with the required options, per /etc/fstab on
 * every target and per /proc/mounts on live ones (the options in force now). Without an fstab
 * line, an enabled systemd mount unit (e.g. tmp.mount on Debian and Ubuntu) counts too, with the
 * options of its `[Mount] Options=`.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { SystemdUnitValue } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { Findings } from '../common/findings.js';
import { fail, listText, notApplicable, pass, readFact, readOptionalFact } from '../common/outcome.js';
import { absolutePath } from '../common/schema.js';
import { normalizeMountPoint, parseFstab } from '../parsers/fstab.js';
import { parseIni } from '../parsers/ini.js';

const FSTAB = '/etc/fstab';

const spec = z
  .object({
    mountPoint: absolutePath,
    required: z.boolean().default(true),
    options: z.array(z.string().regex(/^[^,\s]+$/, 'must be one mount option')).default([]),
  })
  .strict();

/** `systemd-escape --path`: `/var/log` -> `var-log.mount`, `/` -> `-.mount`. */
export function mountUnitName(mountPoint: string): string {
  const trimmed = mountPoint.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '-.mount';
  const escapePart = (part: string) =>
    [...part]
      .map((ch, i) =>
        /[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)
          ? ch
          : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
      )
      .join('');
  return `${trimmed
    .split('/')
    .filter((p) => p !== '')
    .map(escapePart)
    .join('-')}.mount`;
}

interface UnitMount {
  unit: string;
  path: string;
  options: string[];
  line?: number;
  text?: string;
}

/** The mount described by an enabled, unmasked mount unit, or null. */
function unitMount(value: SystemdUnitValue): UnitMount | null {
  if (!value.unitFile || value.masked || value.unitFileState === 'masked') return null;
  const enabled =
    value.unitFileState !== undefined
      ? ['enabled', 'enabled-runtime', 'static', 'generated'].includes(value.unitFileState)
      : value.wantedBy.length > 0;
  if (!enabled) return null;
  const options = parseIni(value.unitFile.text, value.unitFile.path)
    .filter((a) => a.section === 'Mount' && a.key === 'Options')
    .at(-1);
  return {
    unit: value.unit,
    path: value.unitFile.path,
    options: (options?.value ?? '').split(',').filter((o) => o !== ''),
    ...(options ? { line: options.line, text: options.text } : {}),
  };
}

export default defineCheckType({
  id: 'mount',
  version: 1,
  description: 'A mount point is a separate filesystem and has the required options.',
  spec,
  facts: (s) => [
    { kind: 'file-text', path: FSTAB },
    { kind: 'mounts' },
    { kind: 'systemd-unit', unit: mountUnitName(s.mountPoint) },
  ],
  evaluate(s, ctx): CheckOutcome {
    const mountPoint = normalizeMountPoint(s.mountPoint);
    const fstab = readFact(ctx, { kind: 'file-text', path: FSTAB }, FSTAB);
    if (fstab.problem) return fstab.problem;
    const live = readOptionalFact(ctx, { kind: 'mounts' }, 'mounted filesystems');
    if (live.problem) return live.problem;

    // With several lines for one mount point the last one is mounted on top, so it is the one in force.
    const entry = parseFstab(fstab.value.text ?? '')
      .filter((e) => e.mountPoint === mountPoint)
      .at(-1);
    const mounted = live.value?.mounts.filter((m) => normalizeMountPoint(m.mountPoint) === mountPoint).at(-1);
    const wanted = s.options.join(',');
    const unitName = mountUnitName(mountPoint);
    const unitFact = readFact(ctx, { kind: 'systemd-unit', unit: unitName }, `mount unit ${unitName}`);
    if (unitFact.problem) return unitFact.problem;
    // systemd turns fstab lines into units that win over a vendor unit, so the unit only counts without one.
    const unit = entry ? null : unitMount(unitFact.value);

    if (!entry && !mounted && !unit) {
      const found = `not in /etc/fstab${live.value ? ', not mounted' : ''}${unitFact.value.unitFile ? `, ${unitName} not enabled` : ''}`;
      const evidence: Evidence[] = [
        { source: 'mount', resource: mountPoint, expected: 'a separate filesystem', found },
      ];
      if (!s.required)
        return notApplicable(
          `${mountPoint} is not a separate filesystem, so the rule does not apply.`,
          evidence,
        );
      return fail(`${mountPoint} is not a separate filesystem (${found}).`, evidence);
    }

    const findings = new Findings();
    const missingFrom = (options: readonly string[]) => s.options.filter((o) => !options.includes(o));
    if (entry) {
      const missing = missingFrom(entry.options);
      findings.add(
        {
          source: 'file',
          resource: FSTAB,
          line: entry.line,
          expected: wanted ? `${mountPoint} with ${wanted}` : `${mountPoint} listed`,
          found: entry.options.join(','),
          detail: missing.length ? `missing ${missing.join(',')}: ${entry.text}` : entry.text,
        },
        missing.length > 0 && `lacks ${missing.join(',')} in ${FSTAB}:${entry.line}`,
      );
    }
    if (unit) {
      const missing = missingFrom(unit.options);
      const text = unit.text ?? '[Mount] has no Options=';
      findings.add(
        {
          source: 'file',
          resource: unit.path,
          ...(unit.line ? { line: unit.line } : {}),
          expected: wanted ? `${mountPoint} with ${wanted}` : `${mountPoint} mounted by ${unit.unit}`,
          found: unit.options.join(',') || '(no Options=)',
          detail: missing.length ? `missing ${missing.join(',')}: ${text}` : text,
        },
        missing.length > 0 && `lacks ${missing.join(',')} in ${unit.path}${unit.line ? `:${unit.line}` : ''}`,
      );
    }
    if (live.value) {
      if (!mounted) {
        findings.add(
          {
            source: 'mount',
            resource: mountPoint,
            expected: 'mounted',
            found: 'not mounted',
            detail: '/proc/mounts',
          },
          'is not mounted',
        );
      } else {
        const missing = missingFrom(mounted.options);
        findings.add(
          {
            source: 'mount',
            resource: mountPoint,
            expected: wanted ? `mounted with ${wanted}` : 'mounted',
            found: mounted.options.join(','),
            detail: missing.length ? `missing ${missing.join(',')} in /proc/mounts` : '/proc/mounts',
          },
          missing.length > 0 && `is mounted without ${missing.join(',')}`,
        );
      }
    }
    if (findings.failed) return fail(`${mountPoint} ${findings.reasonText()}.`, findings.problems);
    const where = [
      entry ? `${FSTAB}:${entry.line}` : '',
      unit ? unit.unit : '',
      mounted ? 'mounted now' : '',
    ].filter((x) => x !== '');
    const note = live.value ? '' : ' (live mounts not checked on an offline target)';
    return pass(
      `${mountPoint} is a separate filesystem${wanted ? ` with ${wanted}` : ''} (${listText(where)})${note}.`,
      findings.satisfied,
    );
  },
});
