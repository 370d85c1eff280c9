/**
 * unix:password_object -> password_item from /etc/passwd (the target's: oscap-chroot reads
 * <root>/etc/passwd too). last_login is -1, as oscap reports it on Linux (verified).
 */
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, int, makeItem, requiredEntity } from './common.js';

export const passwordProbe: OvalProbe = {
  family: 'unix',
  objectType: 'password_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const username = requiredEntity(object, 'username');
    const result = await ctx.fact({ kind: 'passwd' });
    if (result.status !== 'ok') return factFailure(result, '/etc/passwd');
    const items: ProbeItem[] = [];
    for (const entry of result.value.entries) {
      if (!ctx.matches(username, entry.name)) continue;
      items.push(
        makeItem('unix', 'password_item', [
          ['username', entry.name],
          ['password', entry.password],
          ['user_id', int(entry.uid)],
          ['group_id', int(entry.gid)],
          ['gcos', entry.gecos],
          ['home_dir', entry.home],
          ['login_shell', entry.shell],
          ['last_login', int(-1)],
        ]),
      );
    }
    return complete(items);
  },
};
