/**
 * A tailoring file for generation, checked against the benchmark it will be baked into: a tailoring
 * written for another benchmark (its `<benchmark id>`, or profiles that extend profiles or name
 * items this benchmark does not have) is refused with one line naming the file and the field.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfValue } from '../model/xccdf.js';
import { scapVariableOf, validateScapVariable } from '../variables/typed-variable.js';
import type { XccdfTailoring } from '../xccdf/parse-benchmark.js';
import { loadTailoring } from '../xccdf/tailoring.js';
import { NS } from '../xml/namespaces.js';
import { attr, firstChild, parseXmlFile } from '../xml/xml-tree.js';

export async function loadTailoringFor(
  path: string,
  benchmark: XccdfBenchmark,
): Promise<{ document: XccdfTailoring; path: string }> {
  const document = await loadTailoring(path);
  // The model keeps only the benchmark href; its optional id is what names the benchmark.
  const reference = firstChild(await parseXmlFile(path), NS.xccdf12, 'benchmark');
  const id = reference ? attr(reference, 'id') : undefined;
  if (id !== undefined && id !== benchmark.id) {
    throw new VouchError(
      'BAD_TAILORING',
      `${path}: <benchmark id="${id}">: the tailoring is for another benchmark than ${benchmark.id}`,
    );
  }
  const profiles = new Set([...benchmark.profiles, ...document.profiles].map((p) => p.id));
  for (const profile of document.profiles) {
    if (profile.extends !== undefined && !profiles.has(profile.extends)) {
      throw new VouchError(
        'BAD_TAILORING',
        `${path}: Profile ${profile.id} extends="${profile.extends}": no such profile in ${benchmark.id} (a tailoring for another benchmark?)`,
      );
    }
    for (const select of profile.selects) {
      if (!benchmark.rules.has(select.idref) && !benchmark.groups.has(select.idref)) {
        throw new VouchError(
          'BAD_TAILORING',
          `${path}: Profile ${profile.id} select idref="${select.idref}": no such Rule or Group in ${benchmark.id}`,
        );
      }
    }
    for (const value of [...profile.refineValues, ...profile.setValues]) {
      if (!benchmark.values.has(value.idref)) {
        throw new VouchError(
          'BAD_TAILORING',
          `${path}: Profile ${profile.id} value idref="${value.idref}": no such Value in ${benchmark.id}`,
        );
      }
    }
    // A set-value is checked like --var: the same type and constraints.
    for (const value of profile.setValues) {
      const declared = benchmark.values.get(value.idref) as XccdfValue;
      validateScapVariable(scapVariableOf(declared), value.value, `${path}: Profile ${profile.id} set-value`);
    }
  }
  return { document, path };
}
