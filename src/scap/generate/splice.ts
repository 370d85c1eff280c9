/**
 * A pruned verbatim copy of an element: its source text with some children left out, replaced or
 * pruned in turn. Everything kept is the source's own bytes, so namespace prefixes, XHTML markup,
 * `<sub>` placeholders and fix scripts mean exactly what they meant in the source.
 */
import type { ElementSpan } from './element-index.js';

export type SpliceDecision =
  | 'keep'
  | 'drop'
  | { replace: string }
  | { prune: (child: ElementSpan) => SpliceDecision };

/**
 * Appends to `out` the text of `element` where each recorded child is kept, dropped (with the
 * layout whitespace before it), replaced by `replace`, or copied with its own children decided by
 * `prune`. `startTag` replaces the element's own start tag (a root made standalone). Parts are
 * appended, never joined here: a generated stream is joined once, not once per nesting level.
 */
export function spliceInto(
  out: string[],
  text: string,
  element: ElementSpan,
  decide: (child: ElementSpan) => SpliceDecision,
  startTag?: string,
): void {
  let pos = element.start;
  if (startTag !== undefined) {
    out.push(startTag);
    pos = element.tagEnd;
  }
  for (const child of element.children ?? []) {
    const decision = decide(child);
    if (decision === 'keep') continue;
    if (decision === 'drop') {
      out.push(text.slice(pos, layoutStart(text, pos, child.start)));
    } else if ('replace' in decision) {
      out.push(text.slice(pos, child.start), decision.replace);
    } else {
      out.push(text.slice(pos, child.start));
      spliceInto(out, text, child, decision.prune);
    }
    pos = child.end;
  }
  out.push(text.slice(pos, element.end));
}

/** spliceInto, joined (for pieces small enough not to matter). */
export function splice(
  text: string,
  element: ElementSpan,
  decide: (child: ElementSpan) => SpliceDecision,
): string {
  const out: string[] = [];
  spliceInto(out, text, element, decide);
  return out.join('');
}

/** Start of the whitespace run that ends at `at` (not before `floor`). */
function layoutStart(text: string, floor: number, at: number): number {
  let i = at;
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) break;
    i--;
  }
  return i;
}

/** The indentation of the line holding `at` (for text inserted next to an element there). */
export function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lead = text.slice(lineStart, at);
  return /^[ \t]*$/.test(lead) ? lead : '';
}
