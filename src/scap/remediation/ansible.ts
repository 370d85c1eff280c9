/**
 * One Ansible playbook in oscap's layout (`oscap xccdf generate fix --fix-type ansible`): a single play
 * on `hosts: all` whose `vars` hold the profile's Values and whose `tasks` are the rules' tasks in
 * profile order. SSG starts a task list that uses a Value with a "promote to variable" `set_fact`
 * task; as oscap does, Vouch lifts those into `vars` (so `-e name=value` can still override them)
 * and drops the task. Rules without an Ansible fix are listed in the header.
 */
import { headerLines } from './header.js';
import type { FixPlan } from './plan.js';
import { subValue, yamlScalar } from './substitute.js';

/** SSG's promote block, with the sub replaced by a NUL-delimited placeholder index. */
const PROMOTE =
  /^- name: XCCDF Value \S+ # promote to variable\n {2}(?:ansible\.builtin\.)?set_fact:\n {4}(\S+): !!str \0(\d+)\0\n {2}tags:\n {4}- always\n/gm;
const PLACEHOLDER = /\0(\d+)\0/g;

export function renderAnsible(plan: FixPlan): string {
  const vars = new Map<string, string>();
  const tasks: string[] = [];
  for (const { rule, fix } of plan.rules) {
    if (!fix) continue;
    const subs: string[] = [];
    const text = fix.content
      .map((part) => {
        if (typeof part === 'string') return part;
        subs.push(subValue(plan.values, rule, part.sub));
        return `\0${subs.length - 1}\0`;
      })
      .join('')
      .replace(PROMOTE, (_block, name: string, index: string) => {
        if (!vars.has(name)) vars.set(name, subs[Number(index)] ?? '');
        // oscap leaves blank lines where the block was; kept, so the playbook diffs clean against oscap's.
        return '\n\n';
      })
      // A sub outside a promote block (not in SSG content) becomes a quoted scalar in place.
      .replace(PLACEHOLDER, (_m, index: string) => yamlScalar(subs[Number(index)] ?? ''));
    tasks.push(indent(text), '');
  }
  const out = [
    '---',
    ...headerLines(plan, 'Ansible Playbook', [
      'ansible-playbook -i "localhost," -c local playbook.yml',
      'ansible-playbook -i "192.168.1.155," playbook.yml',
      'ansible-playbook -i inventory.ini playbook.yml',
    ]),
    '',
    '',
    '- hosts: all',
  ];
  if (vars.size > 0) {
    out.push('  vars:');
    for (const [name, value] of vars) out.push(`    ${name}: !!str ${yamlScalar(value)}`);
  }
  if (tasks.length === 0) out.push('  tasks: []');
  else out.push('  tasks:', ...tasks);
  return `${out.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `    ${line}`))
    .join('\n');
}
