import { describe, expect, it } from 'vitest';
import { type PathView, planWatches, resolveEvent } from './watch-plan.js';

/** An in-memory tree: path -> type, with /lib a symlink to /usr/lib (merged /usr). */
function view(entries: Record<string, string>): PathView {
  const resolve = (path: string): string => path.replace(/^\/lib(\/|$)/, '/usr/lib$1');
  return {
    typeOf: async (path) => entries[resolve(path)] ?? null,
    lstatTypeOf: async (path) => (path === '/lib' ? 'symlink' : (entries[resolve(path)] ?? null)),
    realpath: async (path) => (entries[resolve(path)] ? resolve(path) : null),
    toHost: (path) => `/host${path}`,
  };
}

const TREE = {
  '/': 'dir',
  '/etc': 'dir',
  '/etc/shadow': 'file',
  '/etc/sysctl.d': 'dir',
  '/etc/sysctl.d/60.conf': 'file',
  '/usr': 'dir',
  '/usr/lib': 'dir',
  '/usr/lib/sysctl.d': 'dir',
};

describe('planWatches', () => {
  it('watches parents of files, directories themselves, and the nearest ancestor of what is missing', async () => {
    const plan = await planWatches(
      ['/etc/shadow', '/etc/sysctl.d', '/etc/sysctl.d/60.conf', '/run/sysctl.d', '/lib/sysctl.d'],
      view(TREE),
    );
    expect([...plan.keys()].sort()).toEqual([
      '/host/',
      '/host/etc',
      '/host/etc/sysctl.d',
      '/host/usr/lib',
      '/host/usr/lib/sysctl.d',
    ]);
    const etc = plan.get('/host/etc');
    expect(etc?.interests.get('shadow')).toEqual(new Set(['/etc/shadow']));
    expect(plan.get('/host/etc/sysctl.d')?.selves).toEqual(new Set(['/etc/sysctl.d']));
    // /run is missing: / is watched for a "run" entry on behalf of /run/sysctl.d.
    expect(plan.get('/host/')?.interests.get('run')).toEqual(new Set(['/run/sysctl.d']));
    // Through the /lib symlink: one watch on the real directory.
    expect(plan.get('/host/usr/lib')?.interests.get('sysctl.d')).toEqual(new Set(['/lib/sysctl.d']));
  });
});

describe('resolveEvent', () => {
  const dir = {
    targetPath: '/etc/sysctl.d',
    hostPath: '/host/etc/sysctl.d',
    interests: new Map([['60.conf', new Set(['/etc/sysctl.d/60.conf'])]]),
    selves: new Set(['/etc/sysctl.d']),
  };

  it('maps a content change of a source to that source only', () => {
    expect(resolveEvent(dir, 'change', '60.conf')).toEqual({
      sources: new Set(['/etc/sysctl.d/60.conf']),
      observed: '/etc/sysctl.d/60.conf',
      structural: false,
    });
  });

  it('maps an entry appearing to the directory source', () => {
    expect(resolveEvent(dir, 'rename', '99-x.conf').sources).toEqual(new Set(['/etc/sysctl.d']));
  });

  it('ignores a content change of an entry nothing read', () => {
    expect(resolveEvent(dir, 'change', 'README').sources.size).toBe(0);
  });

  it('treats a nameless event or one naming the directory itself as touching everything', () => {
    const all = new Set(['/etc/sysctl.d/60.conf', '/etc/sysctl.d']);
    expect(resolveEvent(dir, 'rename', null).sources).toEqual(all);
    expect(resolveEvent(dir, 'rename', 'sysctl.d').sources).toEqual(all);
  });
});
