/**
 * The probe contract: how one OVAL object type (e.g. `ind:textfilecontent54_object`) turns into
 * fact requests and back into OVAL items.
 *
 * A probe never touches the host. It asks `ctx.fact(request)` for typed facts (the same requests,
 * collectors, targets and cache as native checks), so two objects reading one file read it once,
 * and every filesystem-wide object shares one walk. The session (session.ts) resolves the object's
 * variables, calls the probe, then applies the object's filters and sets; the probe only answers
 * "which items does this object select on this target".
 *
 * Semantics follow oscap 1.3.7 (the reference Vouch is measured against), including its offline
 * (`oscap-chroot`) behaviour where that is sensible; a probe's doc comment says where it departs.
 */
import type { FactKind, FactRequestOf } from '../../core/facts/fact-request.js';
import type { FactResult } from '../../core/facts/fact-result.js';
import type { ItemStatus } from '../oval-eval/existence.js';
import type { CollectedItem } from '../oval-eval/state-eval.js';
import type { CollectionFlag } from '../oval-eval/test-eval.js';

/** One object entity after var_ref resolution. */
export interface ObjectEntitySpec {
  name: string;
  /** `xsi:nil="true"`: for file objects a nil filename means "the directory itself". */
  nil: boolean;
  datatype: string;
  operation: string;
  /**
   * The literal value, or every value of the referenced variable. A candidate matches when the
   * operation holds for the values as `varCheck` combines them (see ProbeContext.matches).
   */
  values: string[];
  /** var_check (default `all`); only meaningful when fromVariable. */
  varCheck: string;
  fromVariable: boolean;
}

/** An OVAL object as a probe sees it: entities resolved, behaviors with their defaults NOT applied. */
export interface ResolvedObject {
  id: string;
  /** `ind`, `unix`, `linux`, ... */
  family: string;
  /** e.g. `textfilecontent54_object` */
  type: string;
  /** Entities by name, in document order. A repeated entity name is not used by OVAL objects. */
  entities: Map<string, ObjectEntitySpec>;
  /** `<behaviors>` attributes as written, e.g. `{recurse_direction: 'down', max_depth: '-1'}`. */
  behaviors: Record<string, string>;
  /**
   * What the session already knows about the items that will survive the object's filters, so a
   * probe can push the selection down to the collector: `specialModesOnly` means every surviving
   * item has the world-writable, setuid or setgid bit (an include filter requires one of them), so
   * a `/`-wide file object may list only such entries (`file-tree` with `select: 'special'`).
   */
  hints: {
    specialModesOnly: boolean;
    /**
     * An exclude filter drops every item whose user_id (group_id) is one of these: a recursive
     * file object may list only entries owned by none of them (`file-tree` `uidNotIn`/`gidNotIn`),
     * which turns an unowned-files rule's half-million items into the few that matter.
     */
    excludeUids?: number[];
    excludeGids?: number[];
  };
}

/** One OVAL system-characteristics item. */
export interface ProbeItem {
  /** Item element name without family, e.g. `textfilecontent_item`, `file_item`, `dpkginfo_item`. */
  type: string;
  /** Family of the item (`ind`, `unix`, `linux`): decides the system-characteristics namespace. */
  family: string;
  status: ItemStatus;
  /**
   * Item entities in the order the OVAL system-characteristics schema lists them (writers rely on
   * insertion order). States are compared against these by entity name.
   */
  fields: CollectedItem;
}

export interface ObjectCollection {
  /** `complete` with no items means "does not exist" (oscap computes the flag from the items). */
  flag: CollectionFlag;
  items: ProbeItem[];
  /** Messages oscap would attach to the collected object (e.g. why it is not applicable offline). */
  messages: string[];
}

export interface ProbeContext {
  /** Memoised, deduplicated fact collection through the scan's target. Never throws. */
  fact<K extends FactKind>(request: FactRequestOf<K>): Promise<FactResult<K>>;
  /** True on a live host; false on an offline root directory (oscap-chroot semantics). */
  readonly live: boolean;
  /**
   * Does a candidate value satisfy an object entity? Applies the entity's operation and datatype
   * against each of its values and combines them with var_check. An operation that errors counts
   * as no match (oscap drops such candidates).
   */
  matches(entity: ObjectEntitySpec, candidate: string): boolean;
}

export interface OvalProbe {
  /** Family and object element name this probe answers, e.g. `ind` + `textfilecontent54_object`. */
  family: string;
  objectType: string;
  /**
   * Collects the items the object selects. Must not throw for target conditions (missing files,
   * unreadable directories): those become flags/statuses. Throwing means a bug or an unsupported
   * construct; the session turns it into an `error` flag with the message.
   */
  collect(object: ResolvedObject, ctx: ProbeContext): Promise<ObjectCollection>;
}

/** Builds an item entity list from plain values (helper for probes). */
export function itemValue(
  value: string | number | boolean | undefined,
  datatype?: string,
): CollectedItem[string] {
  if (value === undefined) return [];
  const text = typeof value === 'string' ? value : String(value);
  return [datatype ? { value: text, datatype } : { value: text }];
}
