/**
 * `unix:file_object` -> `unix:file_item`, as oscap 1.3.7's file probe reports it: the lstat of each
 * selected entry (a symlink is a `symbolic link` item, never its target), times in whole seconds.
 *
 * `has_extended_acl` is reported with status `does not exist` (what oscap reports when
 * `acl_extended_file` fails): Node cannot read POSIX ACL xattrs, and no SSG state compares it.
 */
import type { FileType, TreeEntry } from '../../../core/facts/fact-values.js';
import type { CollectedItem } from '../../oval-eval/state-eval.js';
import {
  itemValue,
  type ObjectCollection,
  type OvalProbe,
  type ProbeItem,
} from '../../oval-session/probe.js';
import { fileBehaviors } from './behaviors.js';
import { type FileCandidate, selectFiles } from './select.js';

/** The strings oscap's file probe writes (file_probe.c). */
export const OVAL_FILE_TYPES: Record<FileType, string> = {
  file: 'regular',
  dir: 'directory',
  symlink: 'symbolic link',
  char: 'character special',
  block: 'block special',
  fifo: 'fifo',
  socket: 'socket',
  unknown: 'unknown',
};

const seconds = (ms: number): number => Math.floor(ms / 1000);

const PERMISSION_BITS: Array<[string, number]> = [
  ['suid', 0o4000],
  ['sgid', 0o2000],
  ['sticky', 0o1000],
  ['uread', 0o400],
  ['uwrite', 0o200],
  ['uexec', 0o100],
  ['gread', 0o40],
  ['gwrite', 0o20],
  ['gexec', 0o10],
  ['oread', 0o4],
  ['owrite', 0o2],
  ['oexec', 0o1],
];

export function fileItem(candidate: FileCandidate): ProbeItem {
  const entry: TreeEntry = candidate.entry;
  const fields: CollectedItem = {};
  if (candidate.filename !== null) fields.filepath = itemValue(entry.path);
  fields.path = itemValue(candidate.path);
  fields.filename = itemValue(candidate.filename ?? '');
  fields.type = itemValue(OVAL_FILE_TYPES[entry.type]);
  fields.group_id = itemValue(entry.gid, 'int');
  fields.user_id = itemValue(entry.uid, 'int');
  fields.a_time = itemValue(seconds(entry.atimeMs), 'int');
  fields.c_time = itemValue(seconds(entry.ctimeMs), 'int');
  fields.m_time = itemValue(seconds(entry.mtimeMs), 'int');
  fields.size = itemValue(entry.size, 'int');
  for (const [name, bit] of PERMISSION_BITS) fields[name] = itemValue((entry.mode & bit) !== 0, 'boolean');
  fields.has_extended_acl = [{ value: undefined, datatype: 'boolean', status: 'does not exist' }];
  return { type: 'file_item', family: 'unix', status: 'exists', fields };
}

export const fileProbe: OvalProbe = {
  family: 'unix',
  objectType: 'file_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const selection = await selectFiles(object, ctx, fileBehaviors(object.id, object.behaviors));
    return {
      flag: selection.problems.length > 0 ? 'error' : 'complete',
      items: selection.candidates.map(fileItem),
      messages: selection.problems,
    };
  },
};
