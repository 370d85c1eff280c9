/**
 * OVAL object sets (UNION / INTERSECTION / COMPLEMENT) over collected items, with the collection
 * flag of the result. Items are compared by content, as oscap compares them (two objects collecting
 * the same file give equal items).
 */
import type { CollectionFlag } from '../oval-eval/test-eval.js';
import type { ProbeItem } from './probe.js';

export interface Operand {
  flag: CollectionFlag;
  items: ProbeItem[];
}

export function itemKey(item: ProbeItem): string {
  return `${item.family}:${item.type}:${item.status}:${JSON.stringify(item.fields)}`;
}

export function combineSet(operator: string, operands: Operand[]): Operand {
  const flag = setFlag(
    operator,
    operands.map((o) => o.flag),
  );
  if (flag === 'error' || operands.length === 0) return { flag, items: [] };
  const [first, second] = operands;
  if (!first) return { flag, items: [] };
  let items: ProbeItem[];
  switch (operator) {
    case 'UNION':
      items = unique(operands.flatMap((o) => o.items));
      break;
    case 'INTERSECTION': {
      const keep = new Set((second?.items ?? first.items).map(itemKey));
      items = unique(first.items.filter((i) => keep.has(itemKey(i))));
      break;
    }
    case 'COMPLEMENT': {
      const drop = new Set((second?.items ?? []).map(itemKey));
      items = unique(first.items.filter((i) => !drop.has(itemKey(i))));
      break;
    }
    default:
      return { flag: 'error', items: [] };
  }
  return { flag, items };
}

function unique(items: ProbeItem[]): ProbeItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = itemKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The flag of a set from its operands' flags (OVAL 5.11 set flag tables, simplified to what can
 * happen: an error anywhere is an error; any gap makes the result incomplete).
 */
function setFlag(operator: string, flags: CollectionFlag[]): CollectionFlag {
  if (flags.includes('error')) return 'error';
  const known = flags.filter((f) => f !== 'not applicable');
  if (known.length === 0) return 'not applicable';
  if (operator === 'INTERSECTION' && known.includes('does not exist')) return 'does not exist';
  if (known.every((f) => f === 'does not exist')) return 'does not exist';
  if (known.includes('not collected')) return 'not collected';
  if (known.includes('incomplete')) return 'incomplete';
  return 'complete';
}
