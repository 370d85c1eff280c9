/**
 * The OVAL session end to end on a real root directory: sets, filters (include/exclude), local
 * variables over object_component, variable_object, extend_definition with negate, state var_ref
 * with var_check, and the special-modes pushdown. Expected results are written out here and, where
 * oscap is installed, also checked against `oscap-chroot DIR oval eval` on the same tree.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactProvider } from '../../../src/collectors/index.js';
import { parseScapSource } from '../../../src/scap/datastream/parse-source.js';
import type { OvalDocument } from '../../../src/scap/model/oval.js';
import { OvalSession } from '../../../src/scap/oval-session/session.js';
import { OVAL_PROBES } from '../../../src/scap/probes/registry.js';
import { openRootDirTransport } from '../../../src/targets/root-dir.js';
import { makeTree, removeTree } from '../../../src/targets/temp-tree.js';

const run = promisify(execFile);
const OVAL_FILE = fileURLToPath(new URL('./session-oval.xml', import.meta.url));

const EXPECTED: Record<string, string> = {
  'oval:t:def:1': 'true', // UNION of a.conf (1) and b.conf (3): at least one equals 3
  'oval:t:def:2': 'false', // #value=3 excluded, a.conf's 1 is not 3
  'oval:t:def:3': 'true', // every home directory from passwd is a directory
  'oval:t:def:4': 'true', // "home:" + (40 + 2) matches, and NOT(missing file exists)
  'oval:t:def:5': 'true', // NOT def:2
  'oval:t:def:6': 'true', // a.conf's 1 is one of the constant's values
  'oval:t:def:7': 'false', // /srv holds a world-writable file
  'oval:t:def:8': 'false', // /srv/sub/stray.txt belongs to uid 4242
};

let root: string;
let doc: OvalDocument;

beforeAll(async () => {
  root = await makeTree({
    '/etc/app/a.conf': 'value=1\n',
    '/etc/app/b.conf': 'value=3\n',
    '/etc/app/c.conf': '#value=3\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    '/root': { dir: true, mode: 0o700 },
    '/home/alice': { dir: true, mode: 0o750 },
    '/srv/ok.txt': { text: 'fine\n', mode: 0o644 },
    '/srv/sub/open.txt': { text: 'open\n', mode: 0o666 },
    '/srv/sub/stray.txt': { text: 'stray\n', mode: 0o644, uid: 4242 },
    '/srv/alice.txt': { text: 'mine\n', mode: 0o644, uid: 1000 },
  });
  const source = parseScapSource(await readFile(OVAL_FILE, 'utf8'), OVAL_FILE);
  const content = [...source.components.values()][0]?.content;
  if (content?.kind !== 'oval') throw new Error('session-oval.xml is not an OVAL document');
  doc = content.oval;
});

afterAll(async () => {
  if (root) await removeTree(root);
});

async function evaluateWithVouch(): Promise<{ results: Map<string, string>; session: OvalSession }> {
  const transport = await openRootDirTransport(root);
  try {
    const provider = createFactProvider(transport);
    const session = new OvalSession({
      document: doc,
      href: 'session-oval.xml',
      facts: { collect: (request) => provider.collect(request) },
      live: false,
      probes: OVAL_PROBES,
    });
    const results = await session.evaluate([...doc.definitions.keys()]);
    return { results, session };
  } finally {
    await transport.close();
  }
}

describe('OVAL session', () => {
  it('evaluates every construct as expected', async () => {
    const { results } = await evaluateWithVouch();
    expect(Object.fromEntries(results)).toEqual(EXPECTED);
  });

  it('records objects, items and tested items for the ARF writer', async () => {
    const { session } = await evaluateWithVouch();
    const union = session.run.objects.get('oval:t:obj:3');
    expect(union?.flag).toBe('complete');
    expect(union?.itemIds).toHaveLength(2);
    const filtered = session.run.objects.get('oval:t:obj:4');
    const texts = filtered?.itemIds.map((id) => session.run.items.get(id)?.fields.text?.[0]?.value);
    expect(texts?.sort()).toEqual(['value=1', 'value=3']);
    const homes = session.run.objects.get('oval:t:obj:6');
    expect(homes?.variableValues.map((v) => v.value)).toEqual(['/root', '/home/alice']);
    const test = session.run.tests.get('oval:t:tst:2');
    expect(test?.testedItems.map((t) => t.result).sort()).toEqual(['false', 'true']);
  });

  it('lists only special-mode entries for an include filter on owrite (and still finds them)', async () => {
    const { session } = await evaluateWithVouch();
    const ww = session.run.objects.get('oval:t:obj:10');
    const paths = ww?.itemIds.map((id) => session.run.items.get(id)?.fields.filepath?.[0]?.value);
    expect(paths).toEqual(['/srv/sub/open.txt']);
  });

  it('lists only entries owned by none of the excluded uids (and keeps the unowned one)', async () => {
    const { session } = await evaluateWithVouch();
    const unowned = session.run.objects.get('oval:t:obj:11');
    const paths = unowned?.itemIds.map((id) => session.run.items.get(id)?.fields.filepath?.[0]?.value);
    expect(paths).toEqual(['/srv/sub/stray.txt']);
    expect(session.factKeys().some((key) => key.includes('uidNotIn=[0,1000]'))).toBe(true);
  });

  it('turns an object type without a probe into an error naming it', async () => {
    const broken: OvalDocument = {
      ...doc,
      objects: new Map([
        ...doc.objects,
        [
          'oval:t:obj:8',
          {
            ...(doc.objects.get('oval:t:obj:8') as NonNullable<ReturnType<typeof doc.objects.get>>),
            type: 'imaginary_object',
          },
        ],
      ]),
    };
    const transport = await openRootDirTransport(root);
    try {
      const provider = createFactProvider(transport);
      const session = new OvalSession({
        document: broken,
        href: 'x',
        facts: { collect: (request) => provider.collect(request) },
        live: false,
        probes: OVAL_PROBES,
      });
      const results = await session.evaluate(['oval:t:def:4']);
      expect(results.get('oval:t:def:4')).toBe('error');
      expect(session.run.objects.get('oval:t:obj:8')?.messages).toEqual([
        'unsupported OVAL object type ind:imaginary_object',
      ]);
    } finally {
      await transport.close();
    }
  });

  it.skipIf(!existsSync('/usr/bin/oscap-chroot'))('agrees with oscap-chroot on the same tree', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vouch-session-'));
    try {
      const results = join(out, 'results.xml');
      await run('oscap-chroot', [root, 'oval', 'eval', '--results', results, OVAL_FILE]);
      const xml = await readFile(results, 'utf8');
      const oscap: Record<string, string> = {};
      for (const m of xml.matchAll(/<definition definition_id="([^"]+)" result="([^"]+)"/g)) {
        if (m[1] && m[2]) oscap[m[1]] = m[2];
      }
      expect(oscap).toEqual(EXPECTED);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
