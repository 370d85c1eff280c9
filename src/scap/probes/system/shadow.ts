/**
 * unix:shadow_object -> shadow_item from /etc/shadow (getspent on a live host). Verified formats:
 * empty numeric fields are -1; `flag` is the reserved field as an unsigned long, so empty prints
 * 18446744073709551615; encrypt_method follows the hash prefix as oscap's parse_enc_mth does, and
 * is left out where that fails (`$y$` yescrypt, `$2b$`). Offline: not applicable, as oscap-chroot
 * ("offline mode is not supported by shadow probe").
 *
 * Departure: the reserved ninth field is always reported empty (the `shadow` fact does not keep it);
 * no shadow file in use sets it.
 */
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import {
  complete,
  type FieldSpec,
  factFailure,
  int,
  makeItem,
  notApplicable,
  requiredEntity,
} from './common.js';

/** The reserved shadow field when empty: (unsigned long)-1. */
const EMPTY_FLAG = '18446744073709551615';

/** oscap's parse_enc_mth: undefined where oscap adds no encrypt_method entity. */
export function encryptMethod(password: string): string | undefined {
  if (password.startsWith('_')) return 'BSDi';
  if (!password.startsWith('$')) return 'DES';
  let rest = password.slice(1);
  let method: string;
  if (rest.startsWith('1')) {
    method = 'MD5';
    rest = rest.slice(1);
  } else if (rest.startsWith('2')) {
    method = 'Blowfish';
    rest = rest.slice(rest.startsWith('2a') ? 2 : 1);
  } else if (rest.startsWith('5')) {
    method = 'SHA-256';
    rest = rest.slice(1);
  } else if (rest.startsWith('6')) {
    method = 'SHA-512';
    rest = rest.slice(1);
  } else if (rest.startsWith('md5')) {
    method = 'Sun MD5';
    rest = rest.slice(3);
  } else {
    return undefined;
  }
  return rest.startsWith('$') ? method : undefined;
}

function days(value: number | null): FieldSpec {
  return int(value ?? -1);
}

export const shadowProbe: OvalProbe = {
  family: 'unix',
  objectType: 'shadow_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    if (!ctx.live) return notApplicable();
    const username = requiredEntity(object, 'username');
    const result = await ctx.fact({ kind: 'shadow' });
    if (result.status !== 'ok') return factFailure(result, '/etc/shadow');
    const items: ProbeItem[] = [];
    for (const entry of result.value.entries) {
      if (!ctx.matches(username, entry.name)) continue;
      const method = encryptMethod(entry.password);
      items.push(
        makeItem('unix', 'shadow_item', [
          ['username', entry.name],
          ['password', entry.password],
          ['chg_lst', days(entry.lastChange)],
          ['chg_allow', days(entry.minDays)],
          ['chg_req', days(entry.maxDays)],
          ['exp_warn', days(entry.warnDays)],
          ['exp_inact', days(entry.inactiveDays)],
          ['exp_date', days(entry.expire)],
          ['flag', EMPTY_FLAG],
          ...(method === undefined ? [] : [['encrypt_method', method] as [string, FieldSpec]]),
        ]),
      );
    }
    return complete(items);
  },
};
