/**
 * Test helpers: a ProbeContext over a real transport (the same collectors a scan uses), object
 * builders, and an `oscap oval eval` harness that returns the items oscap collected per object.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFactProvider } from '../../../../src/collectors/index.js';
import type { FactKind, FactRequestOf } from '../../../../src/core/facts/fact-request.js';
import { entityMatches } from '../../../../src/scap/oval-session/entity-match.js';
import type {
  ObjectCollection,
  ObjectEntitySpec,
  ProbeContext,
  ProbeItem,
  ResolvedObject,
} from '../../../../src/scap/oval-session/probe.js';
import { parseXml, type XmlElement } from '../../../../src/scap/xml/xml-tree.js';
import type { Transport } from '../../../../src/targets/transport.js';

const run = promisify(execFile);

export function contextFor(transport: Transport): ProbeContext {
  const provider = createFactProvider(transport);
  return {
    live: transport.live,
    fact: <K extends FactKind>(request: FactRequestOf<K>) => provider.collect(request),
    matches: entityMatches,
  };
}

export interface EntityInput {
  value?: string;
  values?: string[];
  operation?: string;
  datatype?: string;
  nil?: boolean;
}

export function object(
  family: string,
  type: string,
  entities: Record<string, EntityInput> = {},
): ResolvedObject {
  const map = new Map<string, ObjectEntitySpec>();
  for (const [name, input] of Object.entries(entities)) {
    map.set(name, {
      name,
      nil: input.nil ?? false,
      datatype: input.datatype ?? 'string',
      operation: input.operation ?? 'equals',
      values: input.values ?? (input.value === undefined ? [] : [input.value]),
      varCheck: 'all',
      fromVariable: input.values !== undefined,
    });
  }
  return {
    id: `oval:test:obj:${type}`,
    family,
    type,
    entities: map,
    behaviors: {},
    hints: { specialModesOnly: false },
  };
}

/** An item as plain data: entity -> values (with `(status)` for entities that are not `exists`). */
export type PlainItem = Record<string, string[]>;

export function plain(item: ProbeItem): PlainItem {
  const out: PlainItem = {};
  for (const [name, values] of Object.entries(item.fields)) {
    out[name] = values.map((v) => (v.status && v.status !== 'exists' ? `(${v.status})` : (v.value ?? '')));
  }
  return out;
}

export function plainCollection(collection: ObjectCollection): {
  flag: string;
  items: PlainItem[];
  messages: string[];
} {
  return { flag: collection.flag, items: collection.items.map(plain), messages: collection.messages };
}

const NS = {
  ind: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#independent',
  unix: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#unix',
  linux: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#linux',
};

/** One object for the oscap harness: family, object type and its inner XML. */
export interface OscapObject {
  family: 'ind' | 'unix' | 'linux';
  type: string;
  xml: string;
}

/**
 * Elements go on separate lines: oscap 1.3.7's reader mis-parses an empty object directly followed
 * by another (`</a><b></b>` -> "Invalid OVAL family").
 */
export function ovalDocument(objects: OscapObject[], schemaVersion = '5.11'): string {
  const defs: string[] = [];
  const tests: string[] = [];
  const objs: string[] = [];
  objects.forEach((o, index) => {
    const i = index + 1;
    const test = o.type.replace(/_object$/, '_test');
    defs.push(
      `<definition class="compliance" id="oval:x:def:${i}" version="1"><metadata><title>t${i}</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:${i}"/></criteria></definition>`,
    );
    tests.push(
      `<${o.family}:${test} id="oval:x:tst:${i}" version="1" check="all" check_existence="at_least_one_exists" comment="c"><${o.family}:object object_ref="oval:x:obj:${i}"/></${o.family}:${test}>`,
    );
    objs.push(`<${o.family}:${o.type} id="oval:x:obj:${i}" version="1">${o.xml}</${o.family}:${o.type}>`);
  });
  const xmlns = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${xmlns}>
<generator><oval:schema_version>${schemaVersion}</oval:schema_version><oval:timestamp>2026-01-01T00:00:00</oval:timestamp></generator>
<definitions>
${defs.join('\n')}
</definitions>
<tests>
${tests.join('\n')}
</tests>
<objects>
${objs.join('\n')}
</objects>
</oval_definitions>
`;
}

export interface OscapObjectResult {
  flag: string;
  messages: string[];
  items: PlainItem[];
  /** Item entity datatypes, entity -> datatype (first item only; for format checks). */
  datatypes: Record<string, string>;
}

function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (e.name === name) found.push(e);
    for (const child of e.children) visit(child);
  };
  visit(element);
  return found;
}

/**
 * Runs `oscap oval eval` (or `oscap-chroot ROOT oval eval`) over the objects and returns, per
 * object in order, the flag, messages and items from the system characteristics.
 */
export async function oscapCollect(objects: OscapObject[], chrootDir?: string): Promise<OscapObjectResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-oscap-'));
  try {
    const defs = join(dir, 'defs.xml');
    const out = join(dir, 'results.xml');
    await writeFile(defs, ovalDocument(objects));
    const argv = ['oval', 'eval', '--results', out, defs];
    if (chrootDir) await run('oscap-chroot', [chrootDir, ...argv], { maxBuffer: 64 * 1024 * 1024 });
    else await run('oscap', argv, { maxBuffer: 64 * 1024 * 1024 });
    const root = parseXml(await readFile(out, 'utf8'));
    const items = new Map<string, XmlElement>();
    for (const data of descendants(root, 'system_data')) {
      for (const item of data.children) items.set(item.attrs.id ?? '', item);
    }
    const byId = new Map<string, OscapObjectResult>();
    for (const collected of descendants(root, 'collected_objects')) {
      for (const o of collected.children) {
        const result: OscapObjectResult = {
          flag: o.attrs.flag ?? '',
          messages: [],
          items: [],
          datatypes: {},
        };
        for (const child of o.children) {
          if (child.name === 'message') result.messages.push(child.text);
          if (child.name !== 'reference') continue;
          const item = items.get(child.attrs.item_ref ?? '');
          if (!item) continue;
          const fields: PlainItem = {};
          for (const entity of item.children) {
            const status = entity.attrs.status;
            const value = status && status !== 'exists' ? `(${status})` : entity.text;
            const list = fields[entity.name] ?? [];
            list.push(value);
            fields[entity.name] = list;
            if (entity.attrs.datatype && result.items.length === 0)
              result.datatypes[entity.name] = entity.attrs.datatype;
          }
          result.items.push(fields);
        }
        byId.set(o.attrs.id ?? '', result);
      }
    }
    return objects.map(
      (_, index) =>
        byId.get(`oval:x:obj:${index + 1}`) ?? { flag: 'absent', messages: [], items: [], datatypes: {} },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function hasOscap(): Promise<boolean> {
  try {
    await run('oscap', ['--version']);
    return true;
  } catch {
    return false;
  }
}
