/**
 * Entry point of the SCAP layer: read a file and build a ScapSource, whatever its root is
 * (source data stream collection, standalone XCCDF Benchmark, standalone OVAL definitions).
 */
import { VouchError } from '../../core/errors.js';
import { parseCpeDictionary } from '../cpe/parse-cpe.js';
import type {
  Component,
  ComponentContent,
  ComponentRef,
  DataStream,
  ScapSource,
} from '../model/datastream.js';
import { parseOval } from '../oval/parse-oval.js';
import { parseBenchmark } from '../xccdf/parse-benchmark.js';
import { NS } from '../xml/namespaces.js';
import { UnknownLog } from '../xml/unknown-log.js';
import {
  attr,
  attrNs,
  childrenNamed,
  parseXml,
  parseXmlFile,
  qname,
  spanOf,
  type XmlElement,
} from '../xml/xml-tree.js';

export async function loadScapSource(path: string): Promise<ScapSource> {
  return buildSource(await parseXmlFile(path), path);
}

/** Same as loadScapSource for a document already in memory (tests, stdin). */
export function parseScapSource(text: string, path = '<input>'): ScapSource {
  return buildSource(parseXml(text, { fileName: path }), path);
}

export function buildSource(root: XmlElement, path: string): ScapSource {
  const unknown = new UnknownLog();
  if (root.ns === NS.ds && root.name === 'data-stream-collection') {
    const components = new Map<string, Component>();
    for (const element of childrenNamed(root, NS.ds, 'component')) {
      const component = parseComponent(element, root, unknown);
      components.set(component.id, component);
    }
    for (const element of root.children) {
      if (element.ns === NS.ds && ['component', 'data-stream', 'extended-component'].includes(element.name))
        continue;
      if (element.name === 'Signature') continue;
      unknown.element(element, attr(root, 'id') ?? path);
    }
    return {
      path,
      kind: 'data-stream-collection',
      collectionId: attr(root, 'id'),
      dataStreams: childrenNamed(root, NS.ds, 'data-stream').map(parseDataStream),
      components,
      unknown: unknown.entries,
      span: spanOf(root, []),
    };
  }
  const content = componentContent(root, unknown);
  if (content.kind !== 'xccdf' && content.kind !== 'oval') {
    throw new VouchError(
      'UNKNOWN_SCAP_DOCUMENT',
      `${path}: root element ${qname(root)} is not a SCAP source data stream, XCCDF 1.2 Benchmark or OVAL definitions document`,
    );
  }
  // A standalone file is its own single component; check hrefs name sibling files, which the
  // evaluator resolves next to `path` (not done here: this layer reads exactly one file).
  const id = attr(root, 'id') ?? path;
  return {
    path,
    kind: content.kind,
    collectionId: undefined,
    dataStreams: [],
    components: new Map([[id, { id, timestamp: undefined, content, span: spanOf(root, []) }]]),
    unknown: unknown.entries,
    span: spanOf(root, []),
  };
}

function parseComponent(element: XmlElement, collection: XmlElement, unknown: UnknownLog): Component {
  const id = attr(element, 'id') ?? '';
  const root = element.children[0];
  if (!root)
    return { id, timestamp: attr(element, 'timestamp'), content: { kind: 'unknown', root: '(empty)' } };
  return {
    id,
    timestamp: attr(element, 'timestamp'),
    content: componentContent(root, unknown),
    span: spanOf(root, [collection, element]),
  };
}

function componentContent(root: XmlElement, unknown: UnknownLog): ComponentContent {
  if ((root.ns === NS.xccdf12 || root.ns === NS.xccdf11) && root.name === 'Benchmark') {
    if (root.ns === NS.xccdf11) unknown.element(root, attr(root, 'id') ?? '', 'XCCDF 1.1 is read as 1.2');
    return { kind: 'xccdf', benchmark: parseBenchmark(root) };
  }
  if (root.ns === NS.ovalDef && root.name === 'oval_definitions')
    return { kind: 'oval', oval: parseOval(root) };
  if (root.ns === NS.cpeDict && root.name === 'cpe-list') {
    return { kind: 'cpe-dictionary', dictionary: parseCpeDictionary(root) };
  }
  if (root.ns === NS.ocil && root.name === 'ocil') {
    const questionnaires = root.children.find((c) => c.name === 'questionnaires');
    return { kind: 'ocil', questionnaires: questionnaires?.children.length ?? 0 };
  }
  unknown.element(root, 'component', 'component content not modelled');
  return { kind: 'unknown', root: qname(root) };
}

function parseDataStream(element: XmlElement): DataStream {
  const refs = (section: string): ComponentRef[] => {
    const container = element.children.find((c) => c.ns === NS.ds && c.name === section);
    return container ? childrenNamed(container, NS.ds, 'component-ref').map(parseComponentRef) : [];
  };
  return {
    id: attr(element, 'id') ?? '',
    scapVersion: attr(element, 'scap-version'),
    useCase: attr(element, 'use-case'),
    dictionaries: refs('dictionaries'),
    checklists: refs('checklists'),
    checks: refs('checks'),
  };
}

function parseComponentRef(element: XmlElement): ComponentRef {
  const catalog = new Map<string, string>();
  for (const cat of childrenNamed(element, NS.catalog, 'catalog')) {
    for (const uri of childrenNamed(cat, NS.catalog, 'uri')) {
      catalog.set(attr(uri, 'name') ?? '', stripHash(attr(uri, 'uri') ?? ''));
    }
  }
  const href = attrNs(element, NS.xlink, 'href') ?? '';
  return {
    id: attr(element, 'id') ?? '',
    href,
    componentId: stripHash(href),
    catalog,
  };
}

function stripHash(ref: string): string {
  return ref.startsWith('#') ? ref.slice(1) : ref;
}
