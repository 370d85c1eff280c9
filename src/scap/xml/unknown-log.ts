/** Collects constructs a builder did not understand (see model/unknown.ts for why they are kept). */
import type { UnknownConstruct } from '../model/unknown.js';
import { qname, type XmlElement } from './xml-tree.js';

export class UnknownLog {
  readonly entries: UnknownConstruct[] = [];

  element(element: XmlElement, where: string, reason = 'element not modelled'): void {
    this.entries.push({ construct: qname(element), where, line: element.line, reason });
  }

  value(construct: string, where: string, line: number, reason: string): void {
    this.entries.push({ construct, where, line, reason });
  }
}
