/**
 * Table tests of the filesystem probes on real temp trees, for what the oscap differential cannot
 * express (variables, the session's hints, the local transport, errors) and unit tables for path
 * prefixes and oscap's match iteration (oscap-chroot results cited per row).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedObject } from '../../../../src/scap/oval-session/probe.js';
import { fileProbe, matchInstances, textfilecontent54Probe } from '../../../../src/scap/probes/fs/index.js';
import {
  anchoredLiteral,
  canMatchAbsolutePath,
  fixedPathPrefix,
} from '../../../../src/scap/probes/fs/path-pattern.js';
import { createLocalTransport } from '../../../../src/targets/local.js';
import { openRootDirTransport } from '../../../../src/targets/root-dir.js';
import { removeTree } from '../../../../src/targets/temp-tree.js';
import { contextFor, plain } from '../system/helpers.js';
import { makeProbeTree } from './tree.js';

let root: string;
beforeAll(async () => {
  root = await makeProbeTree();
});
afterAll(() => removeTree(root));

type Ent = {
  value?: string;
  values?: string[];
  operation?: string;
  datatype?: string;
  nil?: boolean;
  varCheck?: string;
};
function obj(
  type: string,
  spec: Record<string, Ent>,
  behaviors: Record<string, string> = {},
  specialModesOnly = false,
): ResolvedObject {
  return {
    id: `oval:t:obj:${type}`,
    family: type === 'file_object' ? 'unix' : 'ind',
    type,
    behaviors,
    hints: { specialModesOnly },
    entities: new Map(
      Object.entries(spec).map(([name, e]) => [
        name,
        {
          name,
          nil: e.nil ?? false,
          datatype: e.datatype ?? 'string',
          operation: e.operation ?? 'equals',
          values: e.values ?? (e.value === undefined ? [] : [e.value]),
          varCheck: e.varCheck ?? 'all',
          fromVariable: e.values !== undefined,
        },
      ]),
    ),
  };
}

const paths = (items: Array<{ fields: Record<string, Array<{ value: string | undefined }>> }>) =>
  items.map((item) => item.fields.filepath?.[0]?.value ?? item.fields.path?.[0]?.value);

describe('file probe', () => {
  it.each<[string, ResolvedObject, string[]]>([
    [
      // oscap-chroot, constant_variable [/etc/a.conf, /etc/sub/b.conf, /etc/missing]:
      // var_check="at least one" collects both files, var_check="all" collects nothing.
      'multi-valued filepath, var_check at least one',
      obj('file_object', {
        filepath: { values: ['/etc/a.conf', '/etc/sub/b.conf', '/etc/missing'], varCheck: 'at least one' },
      }),
      ['/etc/a.conf', '/etc/sub/b.conf'],
    ],
    [
      'multi-valued filepath, var_check all',
      obj('file_object', { filepath: { values: ['/etc/a.conf', '/etc/sub/b.conf', '/etc/missing'] } }),
      [],
    ],
    [
      'multi-valued filename pattern, var_check at least one',
      obj('file_object', {
        path: { value: '/etc' },
        filename: { values: ['^a\\.', '^ww'], operation: 'pattern match', varCheck: 'at least one' },
      }),
      ['/etc/a.conf', '/etc/ww.conf'],
    ],
    [
      // oscap-chroot: filename patterns [^a\., ^null] with var_check="all": does not exist.
      'multi-valued filename pattern, var_check all',
      obj('file_object', {
        path: { value: '/etc' },
        filename: { values: ['^a\\.', '^ww'], operation: 'pattern match' },
      }),
      [],
    ],
    [
      // The session's hint lets the listing keep only entries with special bits (and links).
      'specialModesOnly: only world-writable / setuid entries listed',
      obj(
        'file_object',
        { path: { value: '/' }, filename: { value: '.*', operation: 'pattern match' } },
        { recurse: 'directories', recurse_direction: 'down', max_depth: '-1' },
        true,
      ),
      ['/etc/a.conf', '/etc/dangling.conf', '/etc/dirlink', '/etc/link.conf', '/etc/ww.conf'],
    ],
  ])('%s', async (_name, object, expected) => {
    const ctx = contextFor(await openRootDirTransport(root));
    const collection = await fileProbe.collect(object, ctx);
    expect(collection.flag).toBe('complete');
    expect(paths(collection.items).sort()).toEqual(expected);
  });

  it('reports items with oscap datatypes and type strings on the local transport', async () => {
    const ctx = contextFor(createLocalTransport());
    const collection = await fileProbe.collect(
      obj('file_object', { filepath: { value: `${root}/etc/null.conf` } }),
      ctx,
    );
    const item = plain(collection.items[0] as never);
    expect(item).toMatchObject({
      filepath: [`${root}/etc/null.conf`],
      type: ['character special'],
      suid: ['false'],
    });
    expect(collection.items[0]?.fields.size).toEqual([{ value: '0', datatype: 'int' }]);
    expect(collection.items[0]?.fields.has_extended_acl).toEqual([
      { value: undefined, datatype: 'boolean', status: 'does not exist' },
    ]);
  });

  // oscap 1.3.7 on this host (oscap oval eval): with recurse_file_system="local", path / max_depth 1
  // lists /proc and /sys (not descended) and /dev (devtmpfs is local, walked); path /proc or /sys
  // itself selects nothing.
  it.runIf(readFileSync('/proc/mounts', 'utf8').includes(' /proc proc '))(
    'local filesystems on the live host',
    async () => {
      const ctx = contextFor(createLocalTransport());
      const local = { recurse: 'directories', recurse_direction: 'down', recurse_file_system: 'local' };
      const dirs = (path: string, behaviors: Record<string, string>) =>
        fileProbe.collect(
          obj('file_object', { path: { value: path }, filename: { nil: true } }, behaviors),
          ctx,
        );
      const top = paths((await dirs('/', { ...local, max_depth: '1' })).items);
      expect(top).toEqual(expect.arrayContaining(['/', '/proc', '/sys', '/dev']));
      expect(paths((await dirs('/proc', { ...local, max_depth: '0' })).items)).toEqual([]);
      expect(
        paths((await dirs('/proc', { ...local, max_depth: '0', recurse_file_system: 'all' })).items),
      ).toEqual(['/proc']);
      const procEntries = await fileProbe.collect(
        obj(
          'file_object',
          { path: { value: '/' }, filename: { value: '^cmdline$', operation: 'pattern match' } },
          { ...local, max_depth: '1' },
        ),
        ctx,
      );
      expect(paths(procEntries.items)).toEqual([]); // /proc/cmdline is below a non-local mount point
    },
  );

  it('refuses invalid behaviors and objects without a path', async () => {
    const ctx = contextFor(await openRootDirTransport(root));
    await expect(
      fileProbe.collect(
        obj('file_object', { filepath: { value: '/etc' } }, { recurse_direction: 'sideways' }),
        ctx,
      ),
    ).rejects.toThrow(/recurse_direction="sideways"/);
    await expect(fileProbe.collect(obj('file_object', { filename: { value: 'x' } }), ctx)).rejects.toThrow(
      /needs filepath/,
    );
  });
});

describe('textfilecontent54 probe', () => {
  it.each<[string, Record<string, Ent>, string[]]>([
    // oscap-chroot, all on "key=1\nkey=2\n": each pattern value on its own; instance obeys var_check.
    [
      'two pattern values: items of both',
      {
        pattern: { values: ['^key=(\\d)$', '^key=(2)$'], operation: 'pattern match' },
        instance: { value: '1', datatype: 'int', operation: 'greater than or equal' },
      },
      ['1 key=1', '2 key=2', '1 key=2'],
    ],
    [
      'instance values, at least one',
      {
        pattern: { value: '^key=(\\d)$', operation: 'pattern match' },
        instance: { values: ['1', '2'], datatype: 'int', varCheck: 'at least one' },
      },
      ['1 key=1', '2 key=2'],
    ],
    [
      'instance values, all',
      {
        pattern: { value: '^key=(\\d)$', operation: 'pattern match' },
        instance: { values: ['1', '2'], datatype: 'int' },
      },
      [],
    ],
  ])('%s', async (_name, spec, expected) => {
    const ctx = contextFor(await openRootDirTransport(root));
    const collection = await textfilecontent54Probe.collect(
      obj('textfilecontent54_object', { filepath: { value: '/data/k' }, ...spec }),
      ctx,
    );
    expect(
      collection.items.map((item) => `${item.fields.instance?.[0]?.value} ${item.fields.text?.[0]?.value}`),
    ).toEqual(expected);
  });

  it('reports an unreadable subject as an error flag and keeps other files', async () => {
    const ctx = contextFor(await openRootDirTransport(root));
    const collection = await textfilecontent54Probe.collect(
      obj('textfilecontent54_object', {
        filepath: { values: ['/data/latin1', '/data/k'], varCheck: 'at least one' },
        pattern: { value: '^key', operation: 'pattern match' },
        instance: { value: '1', datatype: 'int', operation: 'greater than or equal' },
      }),
      ctx,
    );
    expect(collection.flag).toBe('error');
    expect(collection.messages).toEqual([
      'Regular expression pattern match failed in file /data/latin1 with error -10.',
    ]);
    expect(paths(collection.items)).toEqual(['/data/k', '/data/k']);
  });
});

describe('facts that cannot be collected', () => {
  // As root nothing is unreadable, so the failure is injected at the fact layer: the real
  // provider answers every other request.
  async function failing(kind: string, path: string) {
    const real = contextFor(await openRootDirTransport(root));
    return {
      ...real,
      fact: ((request: { kind: string; path?: string }) =>
        request.kind === kind && request.path === path
          ? Promise.resolve({ status: 'error', message: 'EACCES', sources: [] })
          : real.fact(request as never)) as typeof real.fact,
    };
  }

  it('an unreadable file: error flag with oscap-style message, other files still collected', async () => {
    const ctx = await failing('file-text', '/etc/a.conf');
    const collection = await textfilecontent54Probe.collect(
      obj('textfilecontent54_object', {
        path: { value: '/etc' },
        filename: { value: '\\.conf$', operation: 'pattern match' },
        pattern: { value: '^key=(\\d)$', operation: 'pattern match' },
        instance: { value: '1', datatype: 'int' },
      }),
      ctx,
    );
    expect(collection.flag).toBe('error');
    expect(collection.messages).toEqual(["open(): '/etc/a.conf' EACCES."]);
    expect(paths(collection.items)).toEqual(['/etc/link.conf']);
  });

  it('an unlistable directory: error flag naming it', async () => {
    const ctx = await failing('file-tree', '/etc');
    const collection = await fileProbe.collect(
      obj('file_object', { path: { value: '/etc' }, filename: { nil: true } }),
      ctx,
    );
    expect(collection).toEqual({ flag: 'error', items: [], messages: ['cannot list /etc: EACCES'] });
  });
});

describe('anchoredLiteral (what every match of an anchored pattern starts with: prunes pattern walks)', () => {
  it.each<[string, string | undefined]>([
    ['^/etc/sudoers(|\\.d/.*)$', '/etc/sudoers'],
    ['^/etc/audit/rules\\.d/.*\\.rules$', '/etc/audit/rules.d/'],
    ['^\\/etc\\/ssh\\/sshd_config$', '/etc/ssh/sshd_config'],
    ['^/etc/sudoers?', '/etc/sudoer'], // the quantified character is optional
    ['^/etc/x\\d+', '/etc/x'], // a class ends the literal
    ['^/etc/[ab]x', '/etc/'],
    ['^/etc/a|^/var/b', undefined], // top-level alternation: no common start
    ['^/etc/(a|b)', '/etc/'], // alternation inside a group is fine
    ['/etc/cron\\.(daily|hourly)', undefined], // unanchored: matches anywhere below the prefix
  ])('%s -> %s', (pattern, literal) => {
    expect(anchoredLiteral(pattern)).toBe(literal);
  });
});

describe('fixedPathPrefix (oscap extract_fixed_path_prefix)', () => {
  it.each([
    ['^/etc/audit/rules\\.d/.*\\.rules$', '/etc/audit/rules.d'],
    ['^/etc/sudoers(|\\.d/.*)$', '/etc'],
    ['/etc/cron\\.(daily|hourly|weekly)', '/etc'], // unanchored: same prefix (oscap walked /etc)
    ['/sub', '/sub'], // oscap: no such directory, nothing collected
    ['^.*\\.conf$', '/'],
    ['^/etc/modprobe\\.d/.*', '/etc/modprobe.d'],
  ])('%s -> %s', (pattern, prefix) => {
    expect(fixedPathPrefix(pattern)).toBe(prefix);
  });

  it.each([
    ['etc/sub', false], // oscap: "does not exist" (the anchored pattern cannot match "/")
    ['^/etc', true],
    ['.*', true],
    ['\\/etc', true],
    ['\\w+', false],
  ])('%s can match an absolute path: %s', (pattern, expected) => {
    expect(canMatchAbsolutePath(pattern)).toBe(expected);
  });
});

describe('matchInstances (instances as oscap-chroot counted them)', () => {
  const ML = { multiline: true, singleline: false, ignoreCase: false };
  it.each<[string, string, typeof ML, Array<[string, string[]]>]>([
    [
      '^key=(\\d+)$',
      'key=1\nkey=2\n',
      ML,
      [
        ['key=1', ['1']],
        ['key=2', ['2']],
      ],
    ],
    [
      '^',
      'key=1\nkey=2\n',
      ML,
      [
        ['', []],
        ['', []],
        ['', []],
      ],
    ], // oscap: 3 items
    ['$', 'key=1\nkey=2\n', ML, Array(5).fill(['', []])], // oscap: 5 items
    ['x*', 'ab\n', ML, Array(4).fill(['', []])], // oscap: 4 items
    ['^\\s*$', 'key=1\nkey=2\n', ML, []], // oscap: does not exist
    ['(a)|(b)(c)?', 'b\n', ML, [['b', ['b']]]], // oscap: one subexpression
    ['key=(\\d)$', 'key=1\nkey=2\n', { ...ML, multiline: false }, [['key=2', ['2']]]],
    ['key.*$', 'key=1\nkey=2\n', { ...ML, singleline: true }, [['key=1\nkey=2\n', []]]],
    ['[^^]x', '^x ax', ML, [['ax', []]]],
    ['key=(\\d)', 'key=1\n\u0000key=2\n', ML, [['key=1', ['1']]]], // oscap: the C string ends at NUL
  ])('%j over %j', (pattern, text, options, expected) => {
    expect(matchInstances(text, pattern, options).map((m) => [m.text, m.subexpressions])).toEqual(expected);
  });
});
