/**
 * `mount`: a mount point is a separate filesystem with the required options, per /etc/fstab on
 * every target and per /proc/mounts on live ones (the options in force now).
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, listText, notApplicable, pass, readFact, readOptionalFact } from '../common/outcome.js';
import { absolutePath } from '../common/schema.js';
import { normalizeMountPoint, parseFstab } from '../parsers/fstab.js';

const FSTAB = '/etc/fstab';

const spec = z
  .object({
    mountPoint: absolutePath,
    required: z.boolean().default(true),
    options: z.array(z.string().regex(/^[^,\s]+$/, 'must be one mount option')).default([]),
  })
  .strict();

export default defineCheckType({
  id: 'mount',
  version: 1,
  description: 'A mount point is a separate filesystem and has the required options.',
  spec,
  facts: () => [{ kind: 'file-text', path: FSTAB }, { kind: 'mounts' }],
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

    if (!entry && !mounted) {
      const found = live.value ? 'not in /etc/fstab and not mounted' : 'not in /etc/fstab';
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

    const problems: Evidence[] = [];
    const evidence: Evidence[] = [];
    if (entry) {
      const missing = s.options.filter((o) => !entry.options.includes(o));
      const e: Evidence = {
        source: 'file',
        resource: FSTAB,
        line: entry.line,
        expected: wanted ? `${mountPoint} with ${wanted}` : `${mountPoint} listed`,
        found: entry.options.join(','),
        detail: entry.text,
      };
      (missing.length ? problems : evidence).push(
        missing.length ? { ...e, detail: `missing ${missing.join(',')}: ${entry.text}` } : e,
      );
    }
    if (live.value) {
      if (!mounted) {
        problems.push({
          source: 'mount',
          resource: mountPoint,
          expected: 'mounted',
          found: 'not mounted',
          detail: '/proc/mounts',
        });
      } else {
        const missing = s.options.filter((o) => !mounted.options.includes(o));
        const e: Evidence = {
          source: 'mount',
          resource: mountPoint,
          expected: wanted ? `mounted with ${wanted}` : 'mounted',
          found: mounted.options.join(','),
          detail: missing.length ? `missing ${missing.join(',')} in /proc/mounts` : '/proc/mounts',
        };
        (missing.length ? problems : evidence).push(e);
      }
    }
    if (problems.length > 0) {
      const what = problems.map((p) =>
        p.found === 'not mounted'
          ? 'is not mounted'
          : p.source === 'file'
            ? `lacks ${p.detail?.replace(/^missing /, '').split(':')[0]} in ${FSTAB}:${p.line}`
            : `is mounted without ${p.detail?.replace(/^missing /, '').replace(/ in \/proc\/mounts$/, '')}`,
      );
      return fail(`${mountPoint} ${what.join(', and ')}.`, problems);
    }
    const where = [entry ? `${FSTAB}:${entry.line}` : '', mounted ? 'mounted now' : ''].filter(
      (x) => x !== '',
    );
    const note = live.value ? '' : ' (live mounts not checked on an offline target)';
    return pass(
      `${mountPoint} is a separate filesystem${wanted ? ` with ${wanted}` : ''} (${listText(where)})${note}.`,
      evidence,
    );
  },
});
