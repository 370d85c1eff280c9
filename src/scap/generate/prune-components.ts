/**
 * Pruned verbatim copies of the check and dictionary components: OVAL definitions documents keep the
 * closure of the needed definitions (ovalClosure: extended definitions, tests, objects, states,
 * variables), OCIL documents the closure of the needed questionnaires (every id their text names:
 * test actions, questions, artifacts, variables), CPE dictionaries the items in use. A section left
 * empty is dropped with its container, since the schemas require at least one child in each.
 */
import { ovalClosure } from '../inventory/oval-closure.js';
import type { OvalDocument } from '../model/oval.js';
import type { ElementSpan } from './element-index.js';
import type { SpliceDecision } from './splice.js';

export const OVAL_EXPANDED = new Set([
  'oval_definitions',
  'definitions',
  'tests',
  'objects',
  'states',
  'variables',
]);
export const OCIL_EXPANDED = new Set([
  'ocil',
  'questionnaires',
  'test_actions',
  'questions',
  'artifacts',
  'variables',
]);
export const CPE_EXPANDED = new Set(['cpe-list']);

export interface PruneCounts {
  kept: number;
  dropped: number;
}

type Decide = (child: ElementSpan) => SpliceDecision;

/** Keeps the recorded grandchildren of the root whose id `keep` accepts; empty sections go too. */
function pruneSections(keep: (id: string) => boolean, counts: PruneCounts): Decide {
  const inSection = (item: ElementSpan): SpliceDecision => {
    if (item.id === undefined || keep(item.id)) {
      counts.kept++;
      return 'keep';
    }
    counts.dropped++;
    return 'drop';
  };
  return (section) => {
    if (!section.children || section.children.length === 0) return 'keep';
    const anyKept = section.children.some((item) => item.id === undefined || keep(item.id));
    if (!anyKept) {
      counts.dropped += section.children.length;
      return 'drop';
    }
    return { prune: inSection };
  };
}

export function pruneOval(doc: OvalDocument, definitions: Iterable<string>, counts: PruneCounts): Decide {
  const keep = new Set<string>();
  for (const id of definitions) {
    const closure = ovalClosure(doc, id);
    for (const set of [
      closure.definitions,
      closure.tests,
      closure.objects,
      closure.states,
      closure.variables,
    ]) {
      for (const member of set) keep.add(member);
    }
  }
  return pruneSections((id) => keep.has(id), counts);
}

export function pruneOcil(
  text: string,
  root: ElementSpan,
  questionnaires: Iterable<string>,
  counts: PruneCounts,
): Decide {
  const byId = new Map<string, ElementSpan>();
  for (const section of root.children ?? []) {
    for (const item of section.children ?? []) if (item.id !== undefined) byId.set(item.id, item);
  }
  // OCIL cross-references are ids in attributes (question_ref) or in element text (test_action_ref).
  const token = /="([^"]+)"|>\s*([^<\s]+)\s*</g;
  const keep = new Set<string>();
  const pending = [...questionnaires].filter((id) => byId.has(id));
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (keep.has(id)) continue;
    keep.add(id);
    const span = byId.get(id) as ElementSpan;
    for (const match of text.slice(span.start, span.end).matchAll(token)) {
      const ref = match[1] ?? match[2];
      if (ref !== undefined && ref !== id && byId.has(ref) && !keep.has(ref)) pending.push(ref);
    }
  }
  return pruneSections((id) => keep.has(id), counts);
}

export function pruneCpeDictionary(names: ReadonlySet<string>, counts: PruneCounts): Decide {
  return (item) => {
    if (item.name !== 'cpe-item') return 'keep';
    if (item.nameAttr !== undefined && names.has(item.nameAttr)) {
      counts.kept++;
      return 'keep';
    }
    counts.dropped++;
    return 'drop';
  };
}
