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
      };
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

/** All text below an element with markup removed, whitespace runs collapsed (for titles, descriptions). */
export function plainText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const parts: string[] = [];
  const visit = (node: XmlElement): void => {
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

export function qname(element: XmlElement): string {
  return element.ns ? `{${element.ns}}${element.name}` : element.name;
}
