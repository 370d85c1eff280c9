/** CPE dictionary and cpe-lang platform specification builders. */
import type {
  CpeDictionary,
  CpeItem,
  CpeLogicalNode,
  CpePlatform,
  CpePlatformSpecification,
} from '../model/cpe.js';
import { NS } from '../xml/namespaces.js';
import type { UnknownLog } from '../xml/unknown-log.js';
import { attr, childrenNamed, firstChild, plainText, type XmlElement } from '../xml/xml-tree.js';

export function parseCpeDictionary(list: XmlElement): CpeDictionary {
  const items = new Map<string, CpeItem>();
  for (const item of childrenNamed(list, NS.cpeDict, 'cpe-item')) {
    const name = attr(item, 'name') ?? '';
    items.set(name, {
      name,
      title: plainText(firstChild(item, NS.cpeDict, 'title')),
      deprecated: attr(item, 'deprecated') === 'true',
      checks: childrenNamed(item, NS.cpeDict, 'check').map((check) => ({
        system: attr(check, 'system') ?? '',
        href: attr(check, 'href'),
        name: check.text.trim(),
      })),
    });
  }
  return { items };
}

export function parsePlatformSpecification(
  spec: XmlElement | undefined,
  unknown: UnknownLog,
): CpePlatformSpecification {
  const platforms = new Map<string, CpePlatform>();
  if (!spec) return { platforms };
  for (const platform of childrenNamed(spec, NS.cpeLang, 'platform')) {
    const id = attr(platform, 'id') ?? '';
    const test = firstChild(platform, NS.cpeLang, 'logical-test');
    platforms.set(id, {
      id,
      title: plainText(firstChild(platform, NS.cpeLang, 'title')),
      test: test ? parseLogical(test, id, unknown) : undefined,
    });
  }
  return { platforms };
}

function parseLogical(element: XmlElement, where: string, unknown: UnknownLog): CpeLogicalNode {
  if (element.name === 'fact-ref') return { kind: 'fact-ref', name: attr(element, 'name') ?? '' };
  if (element.name === 'check-fact-ref') {
    return {
      kind: 'check-fact-ref',
      system: attr(element, 'system') ?? '',
      href: attr(element, 'href') ?? '',
      idref: attr(element, 'id-ref') ?? '',
    };
  }
  const children: CpeLogicalNode[] = [];
  for (const child of element.children) {
    if (child.ns === NS.cpeLang && ['logical-test', 'fact-ref', 'check-fact-ref'].includes(child.name)) {
      children.push(parseLogical(child, where, unknown));
    } else {
      unknown.element(child, where);
    }
  }
  return {
    kind: 'logical-test',
    operator: attr(element, 'operator') === 'OR' ? 'OR' : 'AND',
    negate: attr(element, 'negate') === 'true',
    children,
  };
}
