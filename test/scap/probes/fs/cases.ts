/**
 * Object builders for the oscap differentials: each case is the OVAL XML oscap reads and the
 * ResolvedObject the probe gets, built from one description so the two cannot drift apart.
 */
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { ResolvedObject } from '../../../../src/scap/oval-session/probe.js';
import { fileProbe, textfilecontent54Probe } from '../../../../src/scap/probes/fs/index.js';
import type { Transport } from '../../../../src/targets/transport.js';
import { contextFor, type OscapObjectResult, type PlainItem, plain } from '../system/helpers.js';

export const hasOscap = (() => {
  try {
    execFileSync('oscap-chroot', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status !== undefined; // ran, exited non-zero: present
  }
})();

export interface Case {
  name: string;
  family: 'ind' | 'unix';
  type: 'file_object' | 'textfilecontent54_object';
  xml: string;
  object: Omit<ResolvedObject, 'id' | 'family' | 'type' | 'hints'>;
}

export type Ent = { value?: string; values?: string[]; operation?: string; datatype?: string; nil?: boolean };
const entities = (spec: Record<string, Ent>): ResolvedObject['entities'] =>
  new Map(
    Object.entries(spec).map(([name, e]) => [
      name,
      {
        name,
        nil: e.nil ?? false,
        datatype: e.datatype ?? 'string',
        operation: e.operation ?? 'equals',
        values: e.values ?? (e.value === undefined ? [] : [e.value]),
        varCheck: 'all',
        fromVariable: e.values !== undefined,
      },
    ]),
  );

function xmlOf(prefix: string, behaviors: Record<string, string>, spec: Record<string, Ent>): string {
  const b = Object.entries(behaviors)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('');
  const parts = Object.entries(spec).map(([name, e]) => {
    const attrs = `${e.operation ? ` operation="${e.operation}"` : ''}${e.datatype ? ` datatype="${e.datatype}"` : ''}`;
    if (e.nil) return `<${prefix}:${name} xsi:nil="true"/>`;
    const text = (e.value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return `<${prefix}:${name}${attrs}>${text}</${prefix}:${name}>`;
  });
  return `${Object.keys(behaviors).length > 0 ? `<${prefix}:behaviors${b}/>` : ''}${parts.join('')}`;
}

export function fileCase(name: string, behaviors: Record<string, string>, spec: Record<string, Ent>): Case {
  return {
    name,
    family: 'unix',
    type: 'file_object',
    xml: xmlOf('unix', behaviors, spec),
    object: { entities: entities(spec), behaviors },
  };
}

export const INSTANCE_ANY: Ent = { value: '1', datatype: 'int', operation: 'greater than or equal' };
export function textCase(
  name: string,
  behaviors: Record<string, string>,
  spec: Record<string, Ent>,
  pattern: string,
  instance: Ent = INSTANCE_ANY,
): Case {
  const all = { ...spec, pattern: { value: pattern, operation: 'pattern match' }, instance };
  return {
    name,
    family: 'ind',
    type: 'textfilecontent54_object',
    xml: xmlOf('ind', behaviors, all),
    object: { entities: entities(all), behaviors },
  };
}

const IGNORED = new Set(['a_time', 'has_extended_acl']);
export function comparable(items: PlainItem[]): string[] {
  return items
    .map((item) => JSON.stringify(Object.entries(item).filter(([name]) => !IGNORED.has(name))))
    .sort();
}

/** Runs case `index` through its probe and compares with oscap's collection of it. */
export async function expectSameAsOscap(
  cases: Case[],
  index: number,
  transport: Transport,
  oscap: OscapObjectResult[],
) {
  const c = cases[index] as Case;
  const probe = c.type === 'file_object' ? fileProbe : textfilecontent54Probe;
  const object: ResolvedObject = {
    id: `oval:x:obj:${index + 1}`,
    family: c.family,
    type: c.type,
    hints: { specialModesOnly: false },
    ...c.object,
  };
  const ours = await probe.collect(object, contextFor(transport));
  const theirs = oscap[index] as OscapObjectResult;
  const ourFlag = ours.flag === 'complete' && ours.items.length === 0 ? 'does not exist' : ours.flag;
  expect({ flag: ourFlag, items: comparable(ours.items.map(plain)) }).toEqual({
    flag: theirs.flag,
    items: comparable(theirs.items),
  });
}
