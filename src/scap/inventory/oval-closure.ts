/**
 * Everything one OVAL definition pulls in: extended definitions, tests, objects (through sets and
 * object_component too), states (tests and filters), variables (var_ref, ind:variable_object, function
 * trees). The evaluator needs exactly this closure; the inventory counts construct types over it.
 */
import type { OvalComponent, OvalCriteriaNode, OvalDocument, OvalEntity, OvalSet } from '../model/oval.js';

export interface OvalClosure {
  definitions: Set<string>;
  tests: Set<string>;
  objects: Set<string>;
  states: Set<string>;
  variables: Set<string>;
  /** local_variable function/component kinds used (e.g. `concat`, `object_component`). */
  functions: Set<string>;
  /** References to ids absent from the document (`kind:id`). */
  missing: Set<string>;
}

export function ovalClosure(doc: OvalDocument, definitionId: string): OvalClosure {
  const c: OvalClosure = {
    definitions: new Set(),
    tests: new Set(),
    objects: new Set(),
    states: new Set(),
    variables: new Set(),
    functions: new Set(),
    missing: new Set(),
  };

  const entityRefs = (entities: OvalEntity[], objectType?: string): void => {
    for (const e of entities) {
      if (e.varRef) variable(e.varRef);
      // ind:variable_object names its variable in element text, not in a var_ref attribute.
      if (objectType === 'variable_object' && e.name === 'var_ref' && e.value) variable(e.value.trim());
      if (e.fields) entityRefs(e.fields);
    }
  };
  const state = (id: string): void => {
    if (c.states.has(id)) return;
    const s = doc.states.get(id);
    if (!s) return void c.missing.add(`state:${id}`);
    c.states.add(id);
    entityRefs(s.entities);
  };
  const set = (s: OvalSet): void => {
    for (const id of s.objectRefs) object(id);
    for (const f of s.filters) state(f.stateRef);
    for (const nested of s.sets) set(nested);
  };
  const object = (id: string): void => {
    if (c.objects.has(id)) return;
    const o = doc.objects.get(id);
    if (!o) return void c.missing.add(`object:${id}`);
    c.objects.add(id);
    entityRefs(o.entities, o.type);
    for (const f of o.filters) state(f.stateRef);
    if (o.set) set(o.set);
  };
  const component = (comp: OvalComponent): void => {
    c.functions.add(comp.kind);
    if (comp.kind === 'object_component') object(comp.objectRef);
    else if (comp.kind === 'variable_component') variable(comp.varRef);
    if ('component' in comp) component(comp.component);
    if ('components' in comp) for (const child of comp.components) component(child);
  };
  const variable = (id: string): void => {
    if (c.variables.has(id)) return;
    const v = doc.variables.get(id);
    if (!v) return void c.missing.add(`variable:${id}`);
    c.variables.add(id);
    if (v.kind === 'local_variable') component(v.component);
  };
  const test = (id: string): void => {
    if (c.tests.has(id)) return;
    const t = doc.tests.get(id);
    if (!t) return void c.missing.add(`test:${id}`);
    c.tests.add(id);
    if (t.objectRef) object(t.objectRef);
    for (const s of t.stateRefs) state(s);
  };
  const criteria = (node: OvalCriteriaNode): void => {
    if (node.kind === 'criterion') test(node.testRef);
    else if (node.kind === 'extend_definition') definition(node.definitionRef);
    else for (const child of node.children) criteria(child);
  };
  const definition = (id: string): void => {
    if (c.definitions.has(id)) return;
    const d = doc.definitions.get(id);
    if (!d) return void c.missing.add(`definition:${id}`);
    c.definitions.add(id);
    if (d.criteria) criteria(d.criteria);
  };
  definition(definitionId);
  return c;
}
