/**
 * XCCDF tailoring files (as autotailor and SCAP Workbench write them): their profiles are added to
 * the benchmark, a tailoring profile with the id of a benchmark profile replaces it (oscap does the
 * same), and `extends` reaches the benchmark's profiles.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import { NS } from '../xml/namespaces.js';
import { parseXmlFile, qname } from '../xml/xml-tree.js';
import { parseTailoring, type XccdfTailoring } from './parse-benchmark.js';

export async function loadTailoring(path: string): Promise<XccdfTailoring> {
  const root = await parseXmlFile(path);
  if (root.ns !== NS.xccdf12 || root.name !== 'Tailoring') {
    throw new VouchError(
      'BAD_TAILORING',
      `${path}: root element ${qname(root)} is not an XCCDF 1.2 Tailoring document`,
    );
  }
  const tailoring = parseTailoring(root);
  if (tailoring.profiles.length === 0) {
    throw new VouchError('BAD_TAILORING', `${path}: the tailoring document has no Profile`);
  }
  return tailoring;
}

export function applyTailoring(benchmark: XccdfBenchmark, tailoring: XccdfTailoring): XccdfBenchmark {
  const replaced = new Set(tailoring.profiles.map((p) => p.id));
  for (const profile of tailoring.profiles) {
    for (const select of profile.selects) {
      if (!benchmark.rules.has(select.idref) && !benchmark.groups.has(select.idref)) {
        throw new VouchError(
          'BAD_TAILORING',
          `tailoring profile ${profile.id}: select idref ${select.idref} names no rule or group of ${benchmark.id}`,
        );
      }
    }
    for (const refine of [...profile.refineValues, ...profile.setValues]) {
      if (!benchmark.values.has(refine.idref)) {
        throw new VouchError(
          'BAD_TAILORING',
          `tailoring profile ${profile.id}: value idref ${refine.idref} names no Value of ${benchmark.id}`,
        );
      }
    }
  }
  return {
    ...benchmark,
    profiles: [...benchmark.profiles.filter((p) => !replaced.has(p.id)), ...tailoring.profiles],
  };
}
