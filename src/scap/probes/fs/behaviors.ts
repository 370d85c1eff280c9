/**
 * `<behaviors>` of file-based OVAL objects with oscap 1.3.7's defaults (probe-api.c
 * `probe_filebehaviors_canonicalize` / `probe_tfc54behaviors_canonicalize`). An invalid value is an
 * error: oscap silently collects nothing, which would read as "the file does not exist".
 */
export type RecurseDirection = 'none' | 'down' | 'up';
export type RecurseFileSystem = 'all' | 'local' | 'defined';

export interface FileBehaviors {
  /** -1: unlimited. */
  maxDepth: number;
  /** Descend into directories / into symlinks to directories while recursing. */
  recurseDirectories: boolean;
  recurseSymlinks: boolean;
  direction: RecurseDirection;
  fileSystem: RecurseFileSystem;
}

export interface TextBehaviors extends FileBehaviors {
  multiline: boolean;
  singleline: boolean;
  ignoreCase: boolean;
}

const RECURSE: Record<string, [boolean, boolean]> = {
  'symlinks and directories': [true, true],
  'files and directories': [true, false],
  directories: [true, false],
  symlinks: [false, true],
};

function invalid(objectId: string, name: string, value: string): Error {
  return new Error(`${objectId}: invalid behaviors ${name}="${value}"`);
}

export function fileBehaviors(objectId: string, raw: Record<string, string>): FileBehaviors {
  const maxDepthText = raw.max_depth ?? '-1';
  const maxDepth = Number.parseInt(maxDepthText, 10);
  if (!/^-?\d+$/.test(maxDepthText.trim()) || maxDepth < -1)
    throw invalid(objectId, 'max_depth', maxDepthText);
  const recurse = RECURSE[raw.recurse ?? 'symlinks and directories'];
  if (!recurse) throw invalid(objectId, 'recurse', raw.recurse ?? '');
  const direction = raw.recurse_direction ?? 'none';
  if (direction !== 'none' && direction !== 'down' && direction !== 'up')
    throw invalid(objectId, 'recurse_direction', direction);
  const fileSystem = raw.recurse_file_system ?? 'all';
  if (fileSystem !== 'all' && fileSystem !== 'local' && fileSystem !== 'defined')
    throw invalid(objectId, 'recurse_file_system', fileSystem);
  return {
    maxDepth,
    recurseDirectories: recurse[0],
    recurseSymlinks: recurse[1],
    direction,
    fileSystem,
  };
}

function flag(objectId: string, raw: Record<string, string>, name: string, fallback: boolean): boolean {
  const value = raw[name];
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(objectId, name, value);
}

export function textBehaviors(objectId: string, raw: Record<string, string>): TextBehaviors {
  return {
    ...fileBehaviors(objectId, raw),
    multiline: flag(objectId, raw, 'multiline', true),
    singleline: flag(objectId, raw, 'singleline', false),
    ignoreCase: flag(objectId, raw, 'ignore_case', false),
  };
}
