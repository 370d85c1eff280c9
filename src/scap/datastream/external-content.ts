/**
 * Content a standalone XCCDF file names but does not contain: the OVAL files its checks reference
 * (`href="ssg-debian11-oval.xml"`, resolved next to the XCCDF file, as oscap does) and, with
 * `--cpe FILE`, a CPE dictionary and the CPE OVAL files it names. A referenced file that is missing
 * is left out: its rules come out `notchecked`, as with oscap.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VouchError } from '../../core/errors.js';
import { parseCpeDictionary } from '../cpe/parse-cpe.js';
import type { ExternalContent } from '../evaluate/evaluate-benchmark.js';
import { ovalCheckOf } from '../inventory/construct-inventory.js';
import type { CpeDictionary } from '../model/cpe.js';
import type { ScapSource } from '../model/datastream.js';
import type { OvalDocument } from '../model/oval.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import { NS, OVAL_CHECK_SYSTEM } from '../xml/namespaces.js';
import { parseXmlFile, qname } from '../xml/xml-tree.js';
import { loadScapSourceCached, type SourceCacheOptions } from './source-cache.js';

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

async function ovalDocuments(
  hrefs: Iterable<string>,
  baseDir: string,
  cache: SourceCacheOptions,
): Promise<Map<string, OvalDocument>> {
  const out = new Map<string, OvalDocument>();
  for (const href of new Set(hrefs)) {
    if (href.startsWith('#') || REMOTE.test(href)) continue;
    const path = resolve(baseDir, href);
    if (!existsSync(path)) continue;
    const source = await loadScapSourceCached(path, cache);
    const content = [...source.components.values()][0]?.content;
    if (source.kind !== 'oval' || content?.kind !== 'oval') {
      throw new VouchError(
        'BAD_CHECK_CONTENT',
        `${path}: named by a check as OVAL content, but it is not an OVAL definitions document`,
      );
    }
    out.set(href, content.oval);
  }
  return out;
}

export async function loadCpeDictionary(path: string): Promise<CpeDictionary> {
  const root = await parseXmlFile(path);
  if (root.ns !== NS.cpeDict || root.name !== 'cpe-list') {
    throw new VouchError(
      'BAD_CPE_DICTIONARY',
      `${path}: root element ${qname(root)} is not a CPE 2.x dictionary (cpe-list)`,
    );
  }
  return parseCpeDictionary(root);
}

/** External content for a standalone benchmark; undefined for a data stream (it carries its own). */
export async function externalContentFor(
  source: ScapSource,
  benchmark: XccdfBenchmark,
  options: { cpePath?: string | undefined; cache?: SourceCacheOptions },
): Promise<ExternalContent | undefined> {
  const cache = options.cache ?? {};
  if (source.kind !== 'xccdf' && options.cpePath === undefined) return undefined;
  const hrefs: string[] = [];
  if (source.kind === 'xccdf') {
    for (const rule of benchmark.rules.values()) {
      for (const ref of ovalCheckOf(rule)?.contentRefs ?? []) hrefs.push(ref.href);
    }
  }
  const oval = await ovalDocuments(hrefs, dirname(source.path), cache);
  if (options.cpePath === undefined) return { oval };
  const dictionary = await loadCpeDictionary(options.cpePath);
  const cpeHrefs = [...dictionary.items.values()].flatMap((item) =>
    item.checks.filter((c) => c.system === OVAL_CHECK_SYSTEM && c.href).map((c) => c.href as string),
  );
  return { oval, cpe: { dictionary, oval: await ovalDocuments(cpeHrefs, dirname(options.cpePath), cache) } };
}
