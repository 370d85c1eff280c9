/**
 * A minimal namespace-resolved element tree built from saxes events.
 *
 * Why a tree and not a pure stream: OVAL and XCCDF are cross-referenced by id all over the document
 * (tests -> objects -> states -> variables, profiles -> rules), so the model builders need random access
 * anyway. The tree is deliberately small (no DOM, no parent pointers, no whitespace-only text nodes) so
 * an 11 MB data stream costs tens of MB, not hundreds. The builders turn it into the typed model and the
 * tree is then garbage.
 *
 * Safety: SCAP content never needs a DTD. A DOCTYPE is rejected outright, so neither entity expansion
 * ("billion laughs") nor external entities can happen; saxes itself never fetches anything.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SaxesParser } from 'saxes';
import { VouchError } from '../../core/errors.js';
import { shortVariableName } from '../variables/typed-variable.js';

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  /** Local name. */
  name: string;
  /** Attributes: un-namespaced ones by local name, namespaced ones as `{uri}local`. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text (character data and CDATA), in order; '' when none. */
  text: string;
  /** Mixed content in document order, kept only where the builders ask for it (see MIXED_CONTENT). */
  mixed?: (string | XmlElement)[];
  line: number;
  /**
   * Where the element sits in the source text, as UTF-16 indices into the decoded text (what JS
   * string indices count; a BOM and CR LF count as read). `nameEnd` is just past the start tag's
   * name and its terminating character (saxes reports no earlier position); the `<` is the last one
   * before it (see rawElementText). `end` is just past the end tag (or `/>`). Writers use this to
   * copy components verbatim, as oscap copies them into results and ARF.
   */
  nameEnd: number;
  end: number;
  /** Namespace declarations made on this element (prefix -> URI, '' = default), when there are any. */
  nsDecls?: Record<string, string>;
}

/** Files larger than this are refused: the largest SSG data stream is ~40 MB. */
export const MAX_XML_BYTES = 256 * 1024 * 1024;

export interface ParseXmlOptions {
  /** Name used in error messages. */
  fileName?: string;
}

/** Parse a document held in memory. Throws VouchError('XML_PARSE') naming file:line:column. */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  const builder = new TreeBuilder(options.fileName ?? '<input>');
  builder.write(text);
  return builder.close();
}

/**
 * Read and parse a file in 1 MiB chunks (the text of a 40 MB data stream never exists as one string),
 * refusing anything above MAX_XML_BYTES before reading it.
 */
export async function parseXmlFile(path: string): Promise<XmlElement> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new VouchError('CONTENT_NOT_FOUND', `${path}: ${(error as Error).message}`, { cause: error });
  }
  if (size > MAX_XML_BYTES) {
    throw new VouchError('XML_TOO_LARGE', `${path}: ${size} bytes is more than the ${MAX_XML_BYTES} allowed`);
  }
  const builder = new TreeBuilder(path);
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    builder.write(chunk as string);
  }
  return builder.close();
}

/** saxes events -> XmlElement tree. The first error wins; a DOCTYPE stops the parse at once. */
class TreeBuilder {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private failure: Error | undefined;

  constructor(private readonly fileName: string) {
    const parser = this.parser;
    parser.on('error', (error) => {
      this.failure ??= error;
    });
    parser.on('doctype', () => {
      throw new VouchError(
        'XML_PARSE',
        `${fileName}:${parser.line}:${parser.column}: DOCTYPE declarations are not allowed in SCAP content (entity expansion is refused)`,
      );
    });
    let nameEnd = 0;
    parser.on('opentagstart', () => {
      nameEnd = parser.position;
    });
    parser.on('opentag', (tag) => {
      const attrs: Record<string, string> = {};
      for (const attribute of Object.values(tag.attributes)) {
        if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
        attrs[attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local] = attribute.value;
      }
      const element: XmlElement = {
        ns: tag.uri ?? '',
        name: tag.local ?? tag.name,
        attrs,
        children: [],
        text: '',
        line: parser.line,
        nameEnd,
        end: -1,
      };
      const declared = tag.ns && Object.keys(tag.ns).length > 0 ? { ...tag.ns } : undefined;
      if (declared) element.nsDecls = declared;
      const parent = this.stack[this.stack.length - 1];
      if (parent) {
        parent.children.push(element);
        if (parent.mixed) parent.mixed.push(element);
      } else {
        this.root = element;
      }
      if (isMixedContent(element)) element.mixed = [];
      this.stack.push(element);
    });
    const onText = (text: string): void => {
      const current = this.stack[this.stack.length - 1];
      if (!current) return;
      if (current.mixed) current.mixed.push(text);
      // Whitespace between child elements is layout, not data; keep text of leaf-ish elements only.
      if (current.children.length === 0 || text.trim() !== '') current.text += text;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', () => {
      const element = this.stack.pop();
      if (element) element.end = parser.position;
      // Layout whitespace before the first child of an element with children.
      if (element && element.children.length > 0 && element.text.trim() === '') element.text = '';
    });
  }

  write(chunk: string): void {
    if (this.failure) return;
    try {
      this.parser.write(chunk);
    } catch (error) {
      if (error instanceof VouchError) throw error;
      this.failure ??= error as Error;
    }
  }

  close(): XmlElement {
    if (!this.failure) {
      try {
        this.parser.close();
      } catch (error) {
        if (error instanceof VouchError) throw error;
        this.failure ??= error as Error;
      }
    }
    if (this.failure) {
      throw new VouchError('XML_PARSE', `${this.fileName}: ${this.failure.message}`, { cause: this.failure });
    }
    if (!this.root) throw new VouchError('XML_PARSE', `${this.fileName}: no root element`);
    return this.root;
  }
}

/**
 * Elements whose mixed content (text interleaved with child elements) is meaningful: XCCDF fixes carry
 * `<sub idref>` placeholders inside the script text, and descriptions interleave XHTML markup.
 */
const MIXED = new Set(['fix', 'description', 'rationale', 'warning', 'title']);
function isMixedContent(element: XmlElement): boolean {
  return (element.ns === NS_XCCDF12 || element.ns === NS_XCCDF11) && MIXED.has(element.name);
}
const NS_XCCDF12 = 'http://checklists.nist.gov/xccdf/1.2';
const NS_XCCDF11 = 'http://checklists.nist.gov/xccdf/1.1';

// ---- small accessors used by every builder ----

export function attr(element: XmlElement, name: string): string | undefined {
  return element.attrs[name];
}

export function attrNs(element: XmlElement, ns: string, name: string): string | undefined {
  return element.attrs[`{${ns}}${name}`];
}

export function childrenNamed(element: XmlElement, ns: string, name: string): XmlElement[] {
  return element.children.filter((child) => child.ns === ns && child.name === name);
}

export function firstChild(element: XmlElement, ns: string, name: string): XmlElement | undefined {
  return element.children.find((child) => child.ns === ns && child.name === name);
}

/**
 * All text below an element with markup removed, whitespace runs collapsed (for titles, descriptions).
 * An XCCDF `<sub idref="…_value_var_x"/>` (a Value's text substituted where the benchmark is shown)
 * becomes `{var_x}`, so a description keeps saying where the profile's value goes.
 */
export function plainText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const parts: string[] = [];
  const visit = (node: XmlElement): void => {
    if (node.name === 'sub' && node.attrs.idref !== undefined && node !== element) {
      parts.push(`{${shortVariableName(node.attrs.idref)}}`);
      return;
    }
    if (node.mixed) {
      for (const part of node.mixed) {
        if (typeof part === 'string') parts.push(part);
        else visit(part);
      }
    } else {
      parts.push(node.text);
      for (const child of node.children) visit(child);
    }
  };
  visit(element);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Where an element sits in the text it was parsed from (an XmlElement is one). */
export interface SourceSpan {
  name: string;
  line: number;
  nameEnd: number;
  end: number;
  /** Namespace declarations in scope from the ancestors that the element does not redeclare itself. */
  inherited?: Record<string, string>;
}

/**
 * The element's exact source text (start tag to end tag), given the text it was parsed from. Throws
 * when the text does not hold that element there (the file changed since it was parsed).
 */
export function rawElementText(text: string, span: SourceSpan, fileName = '<input>'): string {
  const start = span.end < 0 ? -1 : text.lastIndexOf('<', span.nameEnd - 1);
  const raw = start < 0 ? '' : text.slice(start, span.end);
  const tagName = raw.slice(1, span.nameEnd - start).replace(/[\s/>]+$/, '');
  if (!raw.endsWith('>') || tagName.slice(tagName.indexOf(':') + 1) !== span.name) {
    throw new VouchError(
      'XML_SOURCE_CHANGED',
      `${fileName}: the text at line ${span.line} is not the <${span.name}> element parsed there (did the file change since it was loaded?)`,
    );
  }
  return raw;
}

/**
 * The element's source text made standalone: the namespace declarations it inherits from its
 * ancestors (e.g. SSG declares `xccdf-1.2:` once on the data-stream-collection) are added to its
 * start tag, so the copy means the same thing wherever it is pasted.
 */
export function detachedElementText(text: string, span: SourceSpan, fileName = '<input>'): string {
  const raw = rawElementText(text, span, fileName);
  const inherited = Object.entries(span.inherited ?? {});
  if (inherited.length === 0) return raw;
  const nameLength = /^<[^\s/>]+/.exec(raw)?.[0].length ?? 0;
  const declarations = inherited
    .map(([prefix, uri]) => ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttribute(uri)}"`)
    .join('');
  return raw.slice(0, nameLength) + declarations + raw.slice(nameLength);
}

/** The span of `element` with what it inherits from `ancestors` (outermost first). */
export function spanOf(element: XmlElement, ancestors: readonly XmlElement[]): SourceSpan {
  const inScope: Record<string, string> = {};
  for (const ancestor of ancestors) Object.assign(inScope, ancestor.nsDecls);
  for (const prefix of Object.keys(element.nsDecls ?? {})) delete inScope[prefix];
  // xml: is predeclared; a declaration of it must not be repeated.
  delete inScope.xml;
  const { name, line, nameEnd, end } = element;
  return Object.keys(inScope).length > 0
    ? { name, line, nameEnd, end, inherited: inScope }
    : { name, line, nameEnd, end };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export function qname(element: XmlElement): string {
  return element.ns ? `{${element.ns}}${element.name}` : element.name;
}
