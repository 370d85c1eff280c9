/**
 * `oscap xccdf eval --results-arf`: an ARF 1.1 asset-report-collection holding the source data
 * stream (report-request `collection1`), the target as an AI computing-device (`asset0`), the XCCDF
 * TestResult (report `xccdf1`) and one `oval_results` report per OVAL document evaluated (`oval0`,
 * `oval1`, ... in run order; the TestResult's check-content-refs point at them).
 */
import { VouchError } from '../../core/errors.js';
import { type BenchmarkContext, cpeDictionaryFor, resolveHref } from '../datastream/resolve.js';
import { maskSensitiveRun } from '../evaluate/mask-sensitive.js';
import type { OvalDocument } from '../model/oval.js';
import type { XccdfRun } from '../results/model.js';
import { expandIpv6, hostName, ipv4, macAddress } from './asset-values.js';
import { type SystemInfo, writeOvalResults } from './oval-results.js';
import { benchmarkContext, componentText, type ReportSource, spanText } from './source-text.js';
import { writeTestResult } from './test-result.js';
import { DEFAULT_TEST_SYSTEM, type WriterOptions } from './xccdf-results.js';
import { XmlWriter } from './xml-writer.js';

const NS_ARF = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';
const NS_CORE = 'http://scap.nist.gov/schema/reporting-core/1.1';
const NS_AI = 'http://scap.nist.gov/schema/asset-identification/1.1';
const NS_ARF_VOCAB = 'http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#';

const FACT = {
  fqdn: 'urn:xccdf:fact:asset:identifier:fqdn',
  hostName: 'urn:xccdf:fact:asset:identifier:host_name',
  mac: 'urn:xccdf:fact:ethernet:MAC',
};

export interface ArfOptions extends WriterOptions {
  /** OVAL `system_info` (the schema requires it); defaults to what run.target tells. */
  systemInfo?: SystemInfo;
  /** OVAL results generator; default product `vouch`. */
  generator?: { productName: string; productVersion: string | undefined };
}

export function writeArf(unmasked: XccdfRun, report: ReportSource, options: ArfOptions = {}): string {
  // OVAL results and system characteristics show variable values and collected text: mask secrets.
  const run = maskSensitiveRun(unmasked, options.sensitiveValueIds);
  const { source } = report;
  if (source.kind !== 'data-stream-collection') {
    throw new VouchError(
      'SCAP_REPORT',
      `${source.path}: ARF output needs a source data stream (this is a standalone ${source.kind} file)`,
    );
  }
  const ctx = benchmarkContext(source, run.benchmarkId);
  const ovalReports = [...run.oval.values()].map((ovalRun, index) => {
    const componentId = ovalComponentId(ctx, ovalRun.href);
    const content = source.components.get(componentId)?.content;
    if (content?.kind !== 'oval') {
      throw new VouchError('SCAP_REPORT', `${source.path}: ${ovalRun.href} is not an OVAL component`);
    }
    return { id: `oval${index}`, run: ovalRun, componentId, document: content.oval as OvalDocument };
  });
  const reportIdByHref = new Map(ovalReports.map((r) => [r.run.href, r.id]));

  const w = new XmlWriter().declaration();
  w.start('arf:asset-report-collection', [
    ['xmlns:arf', NS_ARF],
    ['xmlns:core', NS_CORE],
    ['xmlns:ai', NS_AI],
  ]);
  w.start('core:relationships', [['xmlns:arfvocab', NS_ARF_VOCAB]]);
  for (const [type, ref] of [
    ['arfvocab:createdFor', 'collection1'],
    ['arfvocab:isAbout', 'asset0'],
  ] as const) {
    w.start('core:relationship', [
      ['type', type],
      ['subject', 'xccdf1'],
    ]);
    w.leaf('core:ref', [], ref);
    w.end('core:relationship');
  }
  w.end('core:relationships');

  w.start('arf:report-requests');
  w.start('arf:report-request', [['id', 'collection1']]);
  w.start('arf:content');
  w.raw(spanText(report, source.span, 'the data-stream-collection'));
  w.end('arf:content');
  w.end('arf:report-request');
  w.end('arf:report-requests');

  writeAsset(w, run);

  w.start('arf:reports');
  w.start('arf:report', [['id', 'xccdf1']]);
  w.start('arf:content');
  writeTestResult(w, run, {
    benchmarkHref: `#${ctx.componentId}`,
    benchmarkVersion: ctx.benchmark.version,
    declareNamespace: true,
    assetId: 'asset0',
    checkHref: (href) => {
      const id = reportIdByHref.get(href);
      return id ? `#${id}` : href;
    },
    testSystem: options.testSystem ?? DEFAULT_TEST_SYSTEM,
    identity: options.identity,
  });
  w.end('arf:content');
  w.end('arf:report');
  for (const oval of ovalReports) {
    w.start('arf:report', [['id', oval.id]]);
    w.start('arf:content');
    writeOvalResults(w, {
      run: oval.run,
      document: oval.document,
      definitionsXml: componentText(report, oval.componentId),
      generator: {
        productName: options.generator?.productName ?? 'vouch',
        productVersion: options.generator?.productVersion,
        // OVAL timestamps carry no zone (xsd:dateTime as oscap writes it).
        timestamp: run.endTime.slice(0, 19),
      },
      systemInfo: options.systemInfo ?? systemInfoOf(run),
    });
    w.end('arf:content');
    w.end('arf:report');
  }
  w.end('arf:reports');
  w.end('arf:asset-report-collection');
  return w.toString();
}

/** The component an OVAL run's href names: via the benchmark's catalog, else the CPE dictionary's. */
function ovalComponentId(ctx: BenchmarkContext, href: string): string {
  const viaBenchmark = resolveHref(ctx.source, ctx.dataStream, ctx.componentRef, href);
  if (viaBenchmark.kind === 'component') return viaBenchmark.id;
  const dictionary = cpeDictionaryFor(ctx);
  const viaDictionary = dictionary && resolveHref(ctx.source, ctx.dataStream, dictionary.ref, href);
  if (viaDictionary?.kind === 'component') return viaDictionary.id;
  throw new VouchError(
    'SCAP_REPORT',
    `${ctx.source.path}: OVAL run ${href} names no component of the data stream`,
  );
}

/**
 * `ai:computing-device`: one connection per address, then one per MAC; fqdn and host name. Values
 * the AI schema cannot hold (see asset-values.ts) are left out here; the TestResult keeps them.
 */
function writeAsset(w: XmlWriter, run: XccdfRun): void {
  const fact = (name: string): string | undefined => run.target.facts.find((f) => f.name === name)?.value;
  const addresses = run.target.addresses.flatMap((address): [string, string][] => {
    const v4 = ipv4(address);
    if (v4) return [['ai:ip-v4', v4]];
    const v6 = address.includes(':') ? expandIpv6(address) : undefined;
    return v6 ? [['ai:ip-v6', v6]] : [];
  });
  const macs = run.target.facts.flatMap((f) => {
    const mac = f.name === FACT.mac ? macAddress(f.value) : undefined;
    return mac ? [mac] : [];
  });
  w.start('arf:assets');
  w.start('arf:asset', [['id', 'asset0']]);
  w.start('ai:computing-device');
  if (addresses.length + macs.length > 0) {
    w.start('ai:connections');
    for (const [element, address] of addresses) {
      w.start('ai:connection');
      w.start('ai:ip-address');
      w.leaf(element, [], address);
      w.end('ai:ip-address');
      w.end('ai:connection');
    }
    for (const mac of macs) {
      w.start('ai:connection');
      w.leaf('ai:mac-address', [], mac);
      w.end('ai:connection');
    }
    w.end('ai:connections');
  }
  const fqdn = hostName(fact(FACT.fqdn));
  if (fqdn) w.leaf('ai:fqdn', [], fqdn);
  const host = hostName(fact(FACT.hostName) ?? run.target.name);
  if (host) w.leaf('ai:hostname', [], host);
  w.end('ai:computing-device');
  w.end('arf:asset');
  w.end('arf:assets');
}

function systemInfoOf(run: XccdfRun): SystemInfo {
  return {
    osName: '',
    osVersion: '',
    architecture: '',
    primaryHostName: run.target.name,
    interfaces: [],
  };
}
