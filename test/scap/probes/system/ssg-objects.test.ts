/**
 * Every SSG object of a system-probe type whose entities are literals (no var_ref), from the
 * shipped ubuntu2204 and debian11 data streams (OVAL + CPE OVAL components), collected by our probes
 * and by `oscap oval eval` on this host. Skipped when oscap or the SSG content is absent.
 * Volatile figures are left out: partition free blocks, oscap's own pid.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScapSource } from '../../../../src/scap/index.js';
import type { OvalObject } from '../../../../src/scap/model/oval.js';
import { SYSTEM_PROBES } from '../../../../src/scap/probes/system/index.js';
import { createLocalTransport, openRootDirTransport } from '../../../../src/targets/index.js';
import { isRoot } from '../../../../src/targets/temp-tree.js';
import type { Transport } from '../../../../src/targets/transport.js';
import {
  contextFor,
  type EntityInput,
  hasOscap,
  type OscapObject,
  object,
  oscapCollect,
  type PlainItem,
  plain,
} from './helpers.js';

const run = promisify(execFile);
const CONTENT = '/usr/share/xml/scap/ssg/content';
const FILES = ['ssg-ubuntu2204-ds.xml', 'ssg-debian11-ds.xml'].map((f) => `${CONTENT}/${f}`);
const available = (await hasOscap()) && FILES.every((f) => existsSync(f));

const TYPES = new Set(SYSTEM_PROBES.map((p) => `${p.family}:${p.objectType}`));

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Literal objects of the system types, deduplicated by what they ask. */
async function ssgObjects(): Promise<
  { key: string; oscap: OscapObject; entities: Record<string, EntityInput> }[]
> {
  const found = new Map<string, { key: string; oscap: OscapObject; entities: Record<string, EntityInput> }>();
  for (const file of FILES) {
    const source = await loadScapSource(file);
    for (const component of source.components.values()) {
      if (component.content.kind !== 'oval') continue;
      for (const o of component.content.oval.objects.values() as IterableIterator<OvalObject>) {
        if (!TYPES.has(`${o.family}:${o.type}`)) continue;
        if (o.set || o.filters.length > 0 || o.entities.some((e) => e.varRef !== undefined)) continue;
        const entities: Record<string, EntityInput> = {};
        const xml: string[] = [];
        for (const e of o.entities) {
          entities[e.name] = { value: e.value, operation: e.operation, datatype: e.datatype, nil: e.nil };
          const attrs = `${e.operation !== 'equals' ? ` operation="${e.operation}"` : ''}${e.datatype !== 'string' ? ` datatype="${e.datatype}"` : ''}`;
          xml.push(
            e.nil
              ? `<${o.family}:${e.name} xsi:nil="true"${attrs}/>`
              : `<${o.family}:${e.name}${attrs}>${escapeXml(e.value ?? '')}</${o.family}:${e.name}>`,
          );
        }
        const key = `${o.family}:${o.type} ${JSON.stringify(entities)}`;
        if (!found.has(key))
          found.set(key, {
            key,
            oscap: { family: o.family as OscapObject['family'], type: o.type, xml: xml.join('') },
            entities,
          });
      }
    }
  }
  return [...found.values()];
}

function stable(item: PlainItem): PlainItem {
  const { space_used: _u, space_left: _l, pid: _p, ...rest } = item;
  return rest;
}
const sorted = (items: PlainItem[]) =>
  items.map(stable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function compare(transport: Transport, chrootDir?: string): Promise<unknown[]> {
  const objects = await ssgObjects();
  expect(objects.length).toBeGreaterThan(50);
  const reference = await oscapCollect(
    objects.map((o) => o.oscap),
    chrootDir,
  );
  const ctx = contextFor(transport);
  const mismatches: unknown[] = [];
  for (const [index, o] of objects.entries()) {
    const probe = SYSTEM_PROBES.find((p) => `${p.family}:${p.objectType}` === o.key.split(' ')[0]);
    if (!probe) throw new Error(o.key);
    const collection = await probe.collect(object(o.oscap.family, o.oscap.type, o.entities), ctx);
    const flag =
      collection.flag === 'complete' && collection.items.length === 0 ? 'does not exist' : collection.flag;
    const mine = { flag, messages: collection.messages, items: sorted(collection.items.map(plain)) };
    const theirs = reference[index];
    const expected = { flag: theirs?.flag, messages: theirs?.messages, items: sorted(theirs?.items ?? []) };
    if (JSON.stringify(mine) !== JSON.stringify(expected))
      mismatches.push({ key: o.key, mine, theirs: expected });
  }
  return mismatches;
}

describe.skipIf(!available)('SSG system objects: probes vs oscap (live)', () => {
  it('same flag, messages and items for every literal object', { timeout: 120_000 }, async () => {
    expect(await compare(createLocalTransport())).toEqual([]);
  });
});

const FIXTURE = join(process.env.VOUCH_FIXTURES ?? '/work/main/fixtures/build/rootfs', 'hardened');

describe.skipIf(
  !available || !isRoot || !existsSync(join(FIXTURE, 'etc/passwd')) || !existsSync('/usr/bin/oscap-chroot'),
)('SSG system objects: probes vs oscap-chroot (hardened fixture, read-only bind mount)', () => {
  let mountPoint: string;
  let mounted = false;
  beforeAll(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), 'vouch-ro-ssg-'));
    await run('mount', ['--bind', FIXTURE, mountPoint]);
    mounted = true;
    await run('mount', ['-o', 'remount,bind,ro', mountPoint]);
  });
  afterAll(async () => {
    if (mounted) await run('umount', [mountPoint]);
    await rmdir(mountPoint);
  });

  it('same flag, messages and items for every literal object', { timeout: 120_000 }, async () => {
    expect(await compare(await openRootDirTransport(FIXTURE), mountPoint)).toEqual([]);
  });
});
