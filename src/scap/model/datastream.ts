/**
 * A loaded SCAP source: a data stream collection (the SSG `*-ds.xml`), or a standalone XCCDF/OVAL file
 * wrapped as a collection of one component so every consumer sees one shape.
 */
import type { SourceSpan } from '../xml/xml-tree.js';
import type { CpeDictionary } from './cpe.js';
import type { OvalDocument } from './oval.js';
import type { UnknownConstruct } from './unknown.js';
import type { XccdfBenchmark } from './xccdf.js';

export type ComponentContent =
  | { kind: 'xccdf'; benchmark: XccdfBenchmark }
  | { kind: 'oval'; oval: OvalDocument }
  | { kind: 'cpe-dictionary'; dictionary: CpeDictionary }
  /** OCIL questionnaires are not evaluated (oscap reports OCIL-only rules as notchecked); counted only. */
  | { kind: 'ocil'; questionnaires: number }
  | { kind: 'unknown'; root: string };

export interface Component {
  id: string;
  timestamp: string | undefined;
  content: ComponentContent;
  /** Where the content's root element (Benchmark, oval_definitions, ...) is in the source text. */
  span?: SourceSpan;
}

/** A `ds:component-ref` with its catalog: maps check hrefs (`ssg-debian11-oval.xml`) to components. */
export interface ComponentRef {
  id: string;
  /** The raw `xlink:href`: `#component-id`, or a URL for a remote resource (not fetched). */
  href: string;
  /** Id of the component it points at (the `xlink:href` without `#`). */
  componentId: string;
  /** catalog `uri/@name` -> component-ref id (from `uri/@uri` without `#`). */
  catalog: Map<string, string>;
}

export interface DataStream {
  id: string;
  scapVersion: string | undefined;
  useCase: string | undefined;
  dictionaries: ComponentRef[];
  checklists: ComponentRef[];
  checks: ComponentRef[];
}

export interface ScapSource {
  path: string;
  kind: 'data-stream-collection' | 'xccdf' | 'oval';
  collectionId: string | undefined;
  dataStreams: DataStream[];
  components: Map<string, Component>;
  unknown: UnknownConstruct[];
  /** Where the document's root element is in the source text (results/ARF writers copy it). */
  span?: SourceSpan;
}
