/**
 * A bash remediation script in oscap's layout (`oscap xccdf generate fix --fix-type bash`): each rule
 * in profile order between BEGIN/END markers, announced on stderr; a rule without a bash fix gets
 * oscap's "FIX FOR THIS RULE ... IS MISSING!" line and is listed in the header.
 */
import { headerLines } from './header.js';
import type { FixPlan } from './plan.js';
import { bashFixText } from './substitute.js';

const RULER = '#'.repeat(79);

export function renderBash(plan: FixPlan): string {
  const out = [
    '#!/usr/bin/env bash',
    ...headerLines(plan, 'Bash Remediation Script', ['sudo ./remediation-script.sh']),
    '',
  ];
  const total = plan.rules.length;
  plan.rules.forEach(({ rule, fix }, i) => {
    const n = `${i + 1}`;
    out.push(
      RULER,
      `# BEGIN fix (${n} / ${total}) for '${rule.id}'`,
      RULER,
      `(>&2 echo "Remediating rule ${n}/${total}: '${rule.id}'")`,
    );
    if (fix) out.push(bashFixText(fix, rule, plan.values));
    else out.push(`(>&2 echo "FIX FOR THIS RULE '${rule.id}' IS MISSING!")`, '');
    out.push(`# END fix for '${rule.id}'`, '');
  });
  return `${out.join('\n')}\n`;
}
