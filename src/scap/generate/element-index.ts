/**
 * Where the elements of one component sit in the source text: a light tree of element spans, built
 * by a tag scanner over the component's text range, so the generator can copy Rules, Groups,
 * Values, OVAL definitions and CPE items verbatim and leave the others out.
 *
 * Why not the XML parser: the parsed model (from the source cache) records spans only for component
 * roots, and re-parsing the 7 MB Benchmark with saxes costs more than the whole 1 s budget. The
 * text was already checked well-formed by the parser that built the model, so a scanner only has
 * to find tags: it skips comments, CDATA and processing instructions, reads quoted attribute values
 * (which may hold `>`), and records child lists only below the elements `expand` names.
 */
import { VouchError } from '../../core/errors.js';

export interface ElementSpan {
  /** Local name (prefix stripped). */
  name: string;
  /** `@id`, when the element has one. */
  id: string | undefined;
  /** `@name`, when the element has one (CPE items are keyed by it). */
  nameAttr: string | undefined;
  /** Index of the `<` of the start tag. */
  start: number;
  /** Just past the start tag's name and its terminating character (SourceSpan.nameEnd). */
  nameEnd: number;
  /** Just past the start tag's `>`. */
  tagEnd: number;
  /** Just past the end tag (or `/>`). */
  end: number;
  /** Child elements, recorded only when `expand` asked for them. */
  children: ElementSpan[] | undefined;
}

/**
 * Scans the element starting at `start` (index of its `<`). `expand(span, depth)` decides, when an
 * element's start tag has been read, whether its children are recorded (depth 0 = the root).
 */
export function indexElement(
  text: string,
  start: number,
  expand: (element: ElementSpan, depth: number) => boolean,
  fileName = '<input>',
): ElementSpan {
  const stack: (ElementSpan | null)[] = [];
  // Parallel stack: does the element at this depth record its children?
  const recording: boolean[] = [];
  let root: ElementSpan | undefined;
  let i = start;
  const length = text.length;
  const fail = (what: string): never => {
    throw new VouchError('XML_SOURCE_CHANGED', `${fileName}: ${what} at offset ${i} (did the file change?)`);
  };
  // Position of the next `<!` (comment or CDATA), found lazily: a leaf holding one is scanned.
  let markup = -1;
  const nextMarkup = (from: number): number => {
    if (markup !== Number.POSITIVE_INFINITY && markup < from) {
      const at = text.indexOf('<!', from);
      markup = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    return markup;
  };
  while (i < length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) i = skipPast(text, lt + 4, '-->', fail);
      else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt + 9, ']]>', fail);
      else i = fail('unexpected markup declaration');
      continue;
    }
    if (next === 0x3f /* ? */) {
      i = skipPast(text, lt + 2, '?>', fail);
      continue;
    }
    if (next === 0x2f /* / */) {
      const gt = text.indexOf('>', lt);
      if (gt < 0) fail('unterminated end tag');
      const element = stack.pop();
      recording.pop();
      if (element === undefined) fail('end tag without start tag');
      if (element) element.end = gt + 1;
      i = gt + 1;
      if (stack.length === 0) break;
      continue;
    }
    // Start tag: name, then attributes until `>` or `/>`.
    let p = lt + 1;
    while (p < length && !isNameEnd(text.charCodeAt(p))) p++;
    const qname = text.slice(lt + 1, p);
    const colon = qname.indexOf(':');
    const name = colon >= 0 ? qname.slice(colon + 1) : qname;
    const nameEnd = p + 1;
    let id: string | undefined;
    let nameAttr: string | undefined;
    let selfClosing = false;
    for (;;) {
      const c = text.charCodeAt(p);
      if (Number.isNaN(c)) fail('unterminated start tag');
      if (c === 0x3e /* > */) {
        p++;
        break;
      }
      if (c === 0x2f /* / */ && text.charCodeAt(p + 1) === 0x3e) {
        selfClosing = true;
        p += 2;
        break;
      }
      if (isSpace(c)) {
        p++;
        continue;
      }
      const eq = text.indexOf('=', p);
      if (eq < 0) fail('attribute without value');
      const attrName = text.slice(p, eq).trim();
      let q = eq + 1;
      while (isSpace(text.charCodeAt(q))) q++;
      const quote = text[q];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute value');
      const close = text.indexOf(quote as string, q + 1);
      if (close < 0) fail('unterminated attribute value');
      if (attrName === 'id') id = decodeAttribute(text.slice(q + 1, close));
      else if (attrName === 'name') nameAttr = decodeAttribute(text.slice(q + 1, close));
      p = close + 1;
    }
    const depth = stack.length;
    const parentRecords = depth === 0 || recording[depth - 1] === true;
    let element: ElementSpan | null = null;
    if (parentRecords) {
      element = {
        name,
        id,
        nameAttr,
        start: lt,
        nameEnd,
        tagEnd: p,
        end: selfClosing ? p : -1,
        children: undefined,
      };
      if (depth === 0) root = element;
      else stack[depth - 1]?.children?.push(element);
    }
    if (!selfClosing) {
      const records = element !== null && expand(element, depth);
      if (records && element) element.children = [];
      // A leaf of the index (a Rule, an OVAL test): jump to its end tag instead of scanning its body.
      const end = element && !records ? leafEnd(text, qname, lt, p, nextMarkup(p)) : -1;
      if (element && end > 0) {
        element.end = end;
        i = end;
        continue;
      }
      stack.push(element);
      recording.push(records);
    } else if (depth === 0) {
      break;
    }
    i = p;
  }
  if (!root || root.end < 0)
    throw new VouchError('XML_SOURCE_CHANGED', `${fileName}: element at ${start} is not closed`);
  return root;
}

/**
 * End of the element `<qname ...>` whose start tag ends at `from`, when its end tag can be found
 * without scanning: the first `</qname>` after it, with no nested `<qname` and no comment or CDATA
 * in between (either could hide or fake an end tag). -1 = scan it.
 */
function leafEnd(text: string, qname: string, start: number, from: number, markup: number): number {
  const close = text.indexOf(`</${qname}`, from);
  if (close < 0 || markup < close) return -1;
  const after = text.charCodeAt(close + 2 + qname.length);
  if (after !== 0x3e && !isSpace(after)) return -1;
  const nested = text.lastIndexOf(`<${qname}`, close);
  if (nested !== start) return -1;
  const gt = text.indexOf('>', close);
  return gt < 0 ? -1 : gt + 1;
}

function skipPast(text: string, from: number, terminator: string, fail: (what: string) => never): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) fail(`unterminated ${terminator}`);
  return at + terminator.length;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === 0x3e || c === 0x2f;
}

/** Ids are NCNames, but decode the five predefined entities anyway. */
function decodeAttribute(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Index of the `<` that opens the element whose SourceSpan.nameEnd is given. */
export function startOf(text: string, nameEnd: number): number {
  return text.lastIndexOf('<', nameEnd - 1);
}
