/**
 * `ind:textfilecontent54_object` -> `ind:textfilecontent_item`, as oscap 1.3.7 collects it: the
 * selected files (see select.ts) that are regular files or symlinks to regular files, read whole,
 * the pattern applied to the whole text (text-match.ts), one item per match whose 1-based instance
 * number satisfies the `instance` entity.
 *
 * Multi-valued `pattern` (a variable): each value is applied on its own (oscap: two patterns give
 * the items of both); `instance` and the path entities obey var_check.
 * Items carry filepath, path, filename, pattern, instance, `line` (oscap fills it with the pattern),
 * text (the whole match) and one subexpression per capture group that took part in the match.
 * A file that cannot be read, or that is not valid UTF-8 (oscap compiles with PCRE_UTF8, so the
 * match fails), makes the flag `error` with oscap's message; other files are still collected.
 * Departure: files are read up to the file-text limit (4 MiB); oscap reads them whole.
 */
import { posix } from 'node:path';
import type { CollectedItem } from '../../oval-eval/state-eval.js';
import {
  itemValue,
  type ObjectCollection,
  type ObjectEntitySpec,
  type OvalProbe,
  type ProbeItem,
} from '../../oval-session/probe.js';
import { textBehaviors } from './behaviors.js';
import { type FileCandidate, selectFiles } from './select.js';
import { type MatchOptions, matchInstances, type TextMatch } from './text-match.js';

function textItem(filepath: string, pattern: string, instance: number, match: TextMatch): ProbeItem {
  const fields: CollectedItem = {
    filepath: itemValue(filepath),
    path: itemValue(posix.dirname(filepath)),
    filename: itemValue(posix.basename(filepath)),
    pattern: itemValue(pattern),
    instance: itemValue(instance, 'int'),
    line: itemValue(pattern),
    text: itemValue(match.text),
  };
  if (match.subexpressions.length > 0)
    fields.subexpression = match.subexpressions.map((value) => ({ value }));
  return { type: 'textfilecontent_item', family: 'ind', status: 'exists', fields };
}

/** oscap reads regular files and symlinks whose target is one (FTS_F / FTS_SL, then stat). */
function isReadCandidate(candidate: FileCandidate): boolean {
  const { entry } = candidate;
  if (candidate.filename === null) return false;
  return entry.type === 'file' || (entry.type === 'symlink' && entry.targetType === 'file');
}

function required(
  object: { id: string },
  entity: ObjectEntitySpec | undefined,
  name: string,
): ObjectEntitySpec {
  if (!entity) throw new Error(`${object.id}: a textfilecontent54_object needs ${name}`);
  return entity;
}

export const textfilecontent54Probe: OvalProbe = {
  family: 'ind',
  objectType: 'textfilecontent54_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const behaviors = textBehaviors(object.id, object.behaviors);
    const patternEntity = required(object, object.entities.get('pattern'), 'pattern');
    const instance = required(object, object.entities.get('instance'), 'instance');
    const options: MatchOptions = behaviors;
    const selection = await selectFiles(object, ctx, behaviors);
    const messages = [...selection.problems];
    const items: ProbeItem[] = [];
    for (const candidate of selection.candidates) {
      if (!isReadCandidate(candidate)) continue;
      const filepath = candidate.entry.path;
      const read = await ctx.fact({ kind: 'file-text', path: filepath });
      if (read.status !== 'ok') {
        messages.push(`open(): '${filepath}' ${read.status === 'error' ? read.message : read.reason}.`);
        continue;
      }
      if (read.value.text === undefined) continue; // vanished, or no longer a regular file
      if (read.value.text.includes('\uFFFD')) {
        // The collector decodes invalid UTF-8 as U+FFFD; PCRE_UTF8 refuses such a subject (-10).
        messages.push(`Regular expression pattern match failed in file ${filepath} with error -10.`);
        continue;
      }
      for (const pattern of new Set(patternEntity.values)) {
        matchInstances(read.value.text, pattern, options).forEach((match, i) => {
          if (ctx.matches(instance, String(i + 1))) items.push(textItem(filepath, pattern, i + 1, match));
        });
      }
    }
    return { flag: messages.length > 0 ? 'error' : 'complete', items, messages };
  },
};
