#!/usr/bin/env node
/**
 * Replays test/scap-conformance/functions/*.yaml through real oscap (`oscap oval eval --results`)
 * and compares oscap's values and flag with each case's `want`.
 *
 *   node test/scap-conformance/tools/oscap-functions.mjs            # check: exit 1 on disagreement
 *   node test/scap-conformance/tools/oscap-functions.mjs --fill     # write oscap's answer into cases without `want`
 *   node test/scap-conformance/tools/oscap-functions.mjs --show     # print oscap's answer for every case
 *
 * Each case becomes one OVAL document: the case's function tree as local_variable oval:x:var:1,
 * read back through an ind:variable_object (its collected object's flag and `variable_value`s are
 * the variable's flag and values). Inputs are realised as real OVAL:
 * - a variable with flag complete: a constant_variable of its datatype and values;
 * - a variable with flag `does not exist`: a local_variable over an object on a missing file;
 * - a variable with flag error: a local_variable whose substring starts beyond its value;
 * - an object with item_field `subexpression`: a textfilecontent54_object matching every line of a
 *   temp file holding the values (one per line); `instance` (int): a file of that many lines;
 *   flag `does not exist`: a missing file; flag error: a pattern PCRE rejects.
 * Cases with `oscap: skip` (with a reason) are not replayed (e.g. inputs OVAL cannot express).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = join(here, '..', 'functions');
const mode = process.argv.includes('--fill') ? 'fill' : process.argv.includes('--show') ? 'show' : 'check';

const esc = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unesc = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, n) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');

const ATTRS = {
  literal_component: ['datatype'],
  object_component: ['item_field', 'record_field'],
  arithmetic: ['arithmetic_operation'],
  begin: ['character'],
  end: ['character'],
  glob_to_regex: ['glob_noescape'],
  regex_capture: ['pattern'],
  split: ['delimiter'],
  substring: ['substring_start', 'substring_length'],
  time_difference: ['format_1', 'format_2'],
};

function buildDocument(c, dir) {
  const vars = new Map();
  const objs = new Map();
  const extraObjects = [];
  const extraVariables = [];
  let next = 10;
  const missing = join(dir, 'missing', 'file');
  const tfc = (id, path) =>
    `<ind:textfilecontent54_object id="${id}" version="1"><ind:filepath>${esc(path)}</ind:filepath>` +
    '<ind:pattern operation="pattern match">^(.+)$</ind:pattern>' +
    '<ind:instance datatype="int" operation="greater than or equal">1</ind:instance></ind:textfilecontent54_object>';
  for (const [name, v] of Object.entries(c.variables ?? {})) {
    const id = `oval:x:var:${next++}`;
    vars.set(name, id);
    const flag = v.flag ?? 'complete';
    const dt = v.datatype ?? 'string';
    if (flag === 'complete') {
      if (!v.values?.length) throw new Error(`variable ${name}: a complete variable needs values`);
      extraVariables.push(
        `<constant_variable id="${id}" version="1" datatype="${dt}" comment="c">` +
          v.values.map((x) => `<value>${esc(x)}</value>`).join('') +
          '</constant_variable>',
      );
    } else if (flag === 'does not exist') {
      const oid = `oval:x:obj:${next++}`;
      extraObjects.push(tfc(oid, missing));
      extraVariables.push(
        `<local_variable id="${id}" version="1" datatype="${dt}" comment="c">` +
          `<object_component object_ref="${oid}" item_field="subexpression"/></local_variable>`,
      );
    } else if (flag === 'error') {
      extraVariables.push(
        `<local_variable id="${id}" version="1" datatype="${dt}" comment="c">` +
          '<substring substring_start="5" substring_length="1"><literal_component>x</literal_component></substring></local_variable>',
      );
    } else throw new Error(`variable ${name}: flag ${flag} cannot be realised`);
  }
  for (const [name, o] of Object.entries(c.objects ?? {})) {
    const id = `oval:x:obj:${next++}`;
    objs.set(name, id);
    const flag = o.flag ?? 'complete';
    if (flag === 'does not exist') {
      extraObjects.push(tfc(id, missing));
      continue;
    }
    if (flag === 'error') {
      // A pattern PCRE rejects: oscap flags the object error and collects nothing.
      const file = join(dir, `${name}.txt`);
      writeFileSync(file, 'x\n');
      extraObjects.push(tfc(id, file).replace('^(.+)$', '('));
      continue;
    }
    if (flag !== 'complete') throw new Error(`object ${name}: flag ${flag} cannot be realised`);
    const file = join(dir, `${name}.txt`);
    if (o.item_field === 'subexpression') {
      for (const x of o.values) if (x === '' || /\n/.test(x)) throw new Error(`object ${name}: value ${x}`);
      writeFileSync(file, `${o.values.join('\n')}\n`);
    } else if (o.item_field === 'instance') {
      o.values.forEach((x, i) => {
        if (String(x) !== String(i + 1)) throw new Error(`object ${name}: instance values are 1..n`);
      });
      writeFileSync(file, 'x\n'.repeat(o.values.length));
    } else throw new Error(`object ${name}: item_field ${o.item_field} cannot be realised`);
    extraObjects.push(tfc(id, file));
  }
  const xml = (n) => {
    if (n.fn === 'literal_component') {
      const dt = n.datatype ? ` datatype="${n.datatype}"` : '';
      return `<literal_component${dt}>${esc(n.value ?? '')}</literal_component>`;
    }
    if (n.fn === 'variable_component') {
      const id = vars.get(n.var_ref);
      if (!id) throw new Error(`no variable ${n.var_ref}`);
      return `<variable_component var_ref="${id}"/>`;
    }
    const attrs = (ATTRS[n.fn] ?? [])
      .filter((a) => n[a] !== undefined)
      .map((a) => ` ${a}="${esc(n[a])}"`)
      .join('');
    if (n.fn === 'object_component') {
      const id = objs.get(n.object_ref);
      if (!id) throw new Error(`no object ${n.object_ref}`);
      return `<object_component object_ref="${id}"${attrs}/>`;
    }
    return `<${n.fn}${attrs}>${(n.args ?? []).map(xml).join('')}</${n.fn}>`;
  };
  const dt = c.datatype ?? 'string';
  return `<?xml version="1.0" encoding="UTF-8"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
<generator><oval:schema_version>5.11.2</oval:schema_version><oval:timestamp>2026-11-26T00:00:00</oval:timestamp></generator>
<definitions><definition class="compliance" id="oval:x:def:1" version="1"><metadata><title>t</title><description>d</description></metadata>
<criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition></definitions>
<tests><ind:variable_test id="oval:x:tst:1" version="1" check="all" check_existence="any_exist" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:variable_test></tests>
<objects><ind:variable_object id="oval:x:obj:1" version="1"><ind:var_ref>oval:x:var:1</ind:var_ref></ind:variable_object>
${extraObjects.join('\n')}</objects>
<variables><local_variable id="oval:x:var:1" version="1" datatype="${dt}" comment="c">${xml(c.component)}</local_variable>
${extraVariables.join('\n')}</variables>
</oval_definitions>
`;
}

function runOscap(c) {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-fn-'));
  try {
    const defs = join(dir, 'defs.xml');
    const out = join(dir, 'results.xml');
    writeFileSync(defs, buildDocument(c, dir));
    try {
      execFileSync('oscap', ['oval', 'eval', '--results', out, defs], { stdio: 'pipe' });
    } catch (e) {
      // oscap exits 1 when a function reported an error, but still writes its results.
      if (!existsSync(out)) throw e;
    }
    const results = readFileSync(out, 'utf8');
    const obj = /<object id="oval:x:obj:1"[^>]*?flag="([^"]+)"(\/>|>([\s\S]*?)<\/object>)/.exec(results);
    if (!obj) throw new Error('no collected object in the results');
    // The variable_object's flag is `does not exist` for a variable without values; for any other
    // unusable variable (error, ...) oscap collects one variable_item without value entities.
    if (obj[1] !== 'complete') return { values: [], flag: obj[1] };
    const ref = /<reference item_ref="(\d+)"/.exec(obj[3] ?? '');
    const item =
      ref &&
      new RegExp(`<ind-sys:variable_item id="${ref[1]}"[\\s\\S]*?</ind-sys:variable_item>`).exec(results);
    if (!item) throw new Error('no variable_item in the results');
    const values = [...item[0].matchAll(/<ind-sys:value(?:\/>|>([^<]*)<)/g)].map((m) => unesc(m[1] ?? ''));
    return values.length > 0 ? { values, flag: 'complete' } : { values: [], flag: 'error' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
let checked = 0;
let skipped = 0;
let failed = 0;
for (const name of readdirSync(casesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  const path = join(casesDir, name);
  const text = readFileSync(path, 'utf8');
  const doc = parseDocument(text);
  const insertions = [];
  doc.get('cases').items.forEach((node, i) => {
    const c = node.toJSON();
    if (c.oscap === 'skip' || c.want_error !== undefined) {
      skipped++;
      return;
    }
    let got;
    try {
      got = runOscap(c);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name} #${i} ${c.note}: ${e.message}`);
      return;
    }
    checked++;
    if (mode === 'show') console.log(`${name} #${i} ${c.note}: ${JSON.stringify(got)}`);
    if (c.want === undefined) {
      if (mode === 'fill') {
        // Insert a line after the case rather than re-serialising: the files keep their layout.
        const values = got.values.map((v) => JSON.stringify(v)).join(', ');
        insertions.push([node.range[1], `    want: {values: [${values}], flag: ${got.flag}}\n`]);
      } else console.log(`NO WANT ${name} #${i} ${c.note}: oscap ${JSON.stringify(got)}`);
    } else if (!same({ values: c.want.values.map(String), flag: c.want.flag }, got)) {
      failed++;
      console.log(
        `DIFFER ${name} #${i} ${c.note}: want ${JSON.stringify(c.want)} oscap ${JSON.stringify(got)}`,
      );
    }
  });
  if (insertions.length > 0) {
    let out = text;
    for (const [at, line] of insertions.reverse()) {
      const lineStart = out.lastIndexOf('\n', at - 1) + 1;
      const pos = at > lineStart && out[at - 1] !== '\n' ? out.indexOf('\n', at) + 1 || out.length : at;
      out = out.slice(0, pos) + line + out.slice(pos);
    }
    writeFileSync(path, out);
  }
}
console.log(`${checked} cases replayed through oscap, ${skipped} skipped, ${failed} disagree or failed`);
process.exit(failed > 0 ? 1 : 0);
