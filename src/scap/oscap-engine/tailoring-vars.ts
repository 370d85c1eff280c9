/**
 * `--var` for oscap: oscap has no such option, so the overrides travel in an XCCDF 1.2 tailoring
 * file as `set-value`s of a profile that extends the one asked for (what autotailor and SCAP
 * Workbench write), or are merged into the tailoring file the user gave.
 *
 * The file is laid out one element per line: oscap 1.3.7 skips an element that follows an empty
 * element with no whitespace between them (`<select/><set-value>` loses the set-value; fixed in
 * 1.3.10), so a merged file also gets a line break after every `/>` directly followed by `<`.
 */
import { VouchError } from '../../core/errors.js';
import { escapeAttribute, escapeText } from '../report/xml-writer.js';
import { NS } from '../xml/namespaces.js';
import { parseXml, type XmlElement } from '../xml/xml-tree.js';

export interface VarTailoringInput {
  /** Full id of the profile to evaluate (a benchmark or tailoring profile); undefined = default. */
  profileId: string | undefined;
  profileTitle: string | undefined;
  /** Full XCCDF Value id -> value (already validated). */
  values: ReadonlyMap<string, string>;
  /** The data stream, for the `<benchmark href>` of a generated file. */
  benchmarkHref: string;
  /** A tailoring file given with --tailoring: its text and path. */
  given?: { text: string; path: string } | undefined;
  clock?: () => Date;
}

export interface VarTailoring {
  xml: string;
  /** The profile oscap must evaluate (`--profile`). */
  profileId: string;
}

/** Suffix of the generated profile; its id maps back to the user's profile in results. */
export const CUSTOMIZED_SUFFIX = '_vouch_vars';

export function customizedProfileId(profileId: string | undefined): string {
  return profileId === undefined
    ? 'xccdf_org.open-scap_profile_default_vouch_vars'
    : `${profileId}${CUSTOMIZED_SUFFIX}`;
}

function setValueLines(prefix: string, values: ReadonlyMap<string, string>, indent: string): string {
  return [...values]
    .map(
      ([id, value]) =>
        `${indent}<${prefix}set-value idref="${escapeAttribute(id)}">${escapeText(value)}</${prefix}set-value>`,
    )
    .join('\n');
}

function profileElement(prefix: string, input: VarTailoringInput, indent: string): string {
  const id = customizedProfileId(input.profileId);
  const extendsAttr = input.profileId === undefined ? '' : ` extends="${escapeAttribute(input.profileId)}"`;
  const title = `${input.profileTitle ?? input.profileId ?? 'default profile'} (Vouch --var)`;
  return [
    `${indent}<${prefix}Profile id="${escapeAttribute(id)}"${extendsAttr}>`,
    `${indent}  <${prefix}title>${escapeText(title)}</${prefix}title>`,
    setValueLines(prefix, input.values, `${indent}  `),
    `${indent}</${prefix}Profile>`,
  ].join('\n');
}

export function varTailoring(input: VarTailoringInput): VarTailoring {
  if (input.given) return mergeIntoGiven(input, input.given);
  const time = (input.clock ?? (() => new Date()))()
    .toISOString()
    .replace(/\.\d+Z$/, '');
  const p = 'xccdf-1.2:';
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${p}Tailoring xmlns:xccdf-1.2="${NS.xccdf12}" id="xccdf_org.vouch_tailoring_engine_vars">`,
    `  <${p}benchmark href="${escapeAttribute(input.benchmarkHref)}"/>`,
    `  <${p}version time="${time}">1</${p}version>`,
    profileElement(p, input, '  '),
    `</${p}Tailoring>`,
    '',
  ].join('\n');
  return { xml, profileId: customizedProfileId(input.profileId) };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function startOf(text: string, e: XmlElement): number {
  return text.lastIndexOf('<', e.nameEnd - 1);
}

function prefixOf(text: string, e: XmlElement): string {
  const tag = /^<([^\s/>]+)/.exec(text.slice(startOf(text, e)))?.[1] ?? '';
  const colon = tag.indexOf(':');
  return colon >= 0 ? tag.slice(0, colon + 1) : '';
}

function mergeIntoGiven(input: VarTailoringInput, given: { text: string; path: string }): VarTailoring {
  const text = given.text;
  const root = parseXml(text, { fileName: given.path });
  if (root.ns !== NS.xccdf12 || root.name !== 'Tailoring') {
    throw new VouchError('BAD_TAILORING', `${given.path}: not an XCCDF 1.2 Tailoring document`);
  }
  const edits: Edit[] = [];
  const own = root.children.find(
    (c) => c.ns === NS.xccdf12 && c.name === 'Profile' && c.attrs.id === input.profileId,
  );
  let profileId: string;
  if (own) {
    // The profile lives in this file: its own set-value/refine-value for these Values give way.
    for (const child of own.children) {
      const idref = child.attrs.idref;
      if (
        child.ns === NS.xccdf12 &&
        (child.name === 'set-value' || child.name === 'refine-value') &&
        idref !== undefined &&
        input.values.has(idref)
      ) {
        edits.push({ start: startOf(text, child), end: child.end, text: '' });
      }
    }
    const close = text.lastIndexOf('</', own.end - 1);
    if (close < startOf(text, own) || text.slice(own.end - 2, own.end) === '/>') {
      throw new VouchError('BAD_TAILORING', `${given.path}:${own.line}: Profile ${own.attrs.id} is empty`);
    }
    const indent = '    ';
    edits.push({
      start: close,
      end: close,
      text: `\n${setValueLines(prefixOf(text, own), input.values, indent)}\n  `,
    });
    profileId = own.attrs.id as string;
  } else {
    const close = text.lastIndexOf('</', root.end - 1);
    edits.push({
      start: close,
      end: close,
      text: `\n${profileElement(prefixOf(text, root), input, '  ')}\n`,
    });
    profileId = customizedProfileId(input.profileId);
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return { xml: out.replace(/\/>(?=<)/g, '/>\n'), profileId };
}
