/**
 * unix:password_object -> password_item from /etc/passwd (the target's: oscap-chroot reads
 * <root>/etc/passwd too).
 *
 * last_login: oscap reads the uid's record in /var/log/lastlog and reports -1 when there is none
 * (an empty lastlog, as on this host and the fixtures: verified). We always report -1: a host whose
 * lastlog holds records gets 0 or a login time from oscap. No SSG state compares last_login.
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
