/**
 * XCCDF 1.2 Benchmark builder: element tree -> XccdfBenchmark.
 *
 * Children the model does not need (front-matter, notices, warnings, OCIL questions...) are listed in
 * IGNORED so that everything else that is not understood lands in `unknown` instead of vanishing.
 */

import { parsePlatformSpecification } from '../cpe/parse-cpe.js';
import type {
  Selected,
  ValueOperator,
  ValueType,
  XccdfBenchmark,
  XccdfCheck,
  XccdfComplexCheck,
  XccdfFix,
  XccdfFixPart,
  XccdfGroup,
  XccdfItem,
  XccdfProfile,
  XccdfRole,
  XccdfRule,
  XccdfSeverity,
  XccdfValue,
} from '../model/xccdf.js';
import { NS } from '../xml/namespaces.js';
import { UnknownLog } from '../xml/unknown-log.js';
import { attr, childrenNamed, firstChild, plainText, type XmlElement } from '../xml/xml-tree.js';

const IGNORED = new Set([
  'status',
  'dc-status',
  'notice',
  'front-matter',
  'rear-matter',
  'plain-text',
  'metadata',
  'model',
  'signature',
  'warning',
  'question',
  'requires',
  'conflicts',
  'profile-note',
  'fixtext',
  'TestResult',
  'tailoring',
  'version',
  'title',
  'description',
  'reference',
  'platform',
  'rationale',
  'ident',
  'fix',
  'check',
  'complex-check',
  'impact-metric',
  'source',
]);

/** Value children that are modelled or deliberately ignored (source, metadata, signatures...). */
const VALUE_CHILDREN = new Set([
  'status',
  'dc-status',
  'version',
  'title',
  'description',
  'warning',
  'question',
  'reference',
  'metadata',
  'value',
  'default',
  'match',
  'lower-bound',
  'upper-bound',
  'choices',
  'source',
  'signature',
]);

const SEVERITIES = new Set<XccdfSeverity>(['unknown', 'info', 'low', 'medium', 'high']);
const ROLES = new Set<XccdfRole>(['full', 'unscored', 'unchecked']);
const VALUE_TYPES = new Set<ValueType>(['string', 'number', 'boolean']);
const VALUE_OPERATORS = new Set<ValueOperator>([
  'equals',
  'not equal',
  'greater than',
  'less than',
  'greater than or equal',
  'less than or equal',
  'pattern match',
]);

class BenchmarkBuilder {
  readonly unknown = new UnknownLog();
  readonly rules = new Map<string, XccdfRule>();
  readonly groups = new Map<string, XccdfGroup>();
  readonly values = new Map<string, XccdfValue>();

  constructor(private readonly ns: string) {}

  child(element: XmlElement, name: string): XmlElement | undefined {
    return firstChild(element, this.ns, name);
  }

  all(element: XmlElement, name: string): XmlElement[] {
    return childrenNamed(element, this.ns, name);
  }

  text(element: XmlElement, name: string): string | undefined {
    return plainText(this.child(element, name));
  }

  platforms(element: XmlElement): string[] {
    return this.all(element, 'platform').map((p) => attr(p, 'idref') ?? '');
  }

  /** Walk a Benchmark or Group body: Values, Groups and Rules in document order. */
  items(parent: XmlElement, ancestors: string[], where: string): XccdfItem[] {
    const items: XccdfItem[] = [];
    for (const child of parent.children) {
      if (child.ns !== this.ns) {
        if (!(child.ns === NS.cpeLang && child.name === 'platform-specification')) {
          this.unknown.element(child, where);
        }
        continue;
      }
      if (child.name === 'Group') items.push(this.group(child, ancestors));
      else if (child.name === 'Rule') items.push(this.rule(child, ancestors));
      else if (child.name === 'Value') this.value(child, ancestors);
      else if (child.name !== 'Profile' && !IGNORED.has(child.name)) this.unknown.element(child, where);
    }
    return items;
  }

  base(element: XmlElement, ancestors: string[]) {
    return {
      id: attr(element, 'id') ?? '',
      title: this.text(element, 'title'),
      description: this.text(element, 'description'),
      selected: attr(element, 'selected') !== 'false',
      weight: numberOr(attr(element, 'weight'), 1),
      hidden: attr(element, 'hidden') === 'true',
      abstract: attr(element, 'abstract') === 'true',
      extends: attr(element, 'extends'),
      clusterId: attr(element, 'cluster-id'),
      platforms: this.platforms(element),
      ancestors,
    };
  }

  group(element: XmlElement, ancestors: string[]): XccdfGroup {
    const base = this.base(element, ancestors);
    const group: XccdfGroup = { kind: 'group', ...base, children: [] };
    this.groups.set(group.id, group);
    group.children = this.items(element, [...ancestors, group.id], group.id);
    return group;
  }

  rule(element: XmlElement, ancestors: string[]): XccdfRule {
    const base = this.base(element, ancestors);
    const severity = attr(element, 'severity') ?? 'unknown';
    const role = attr(element, 'role') ?? 'full';
    if (!SEVERITIES.has(severity as XccdfSeverity)) {
      this.unknown.value(`@severity=${severity}`, base.id, element.line, 'unknown severity');
    }
    if (!ROLES.has(role as XccdfRole))
      this.unknown.value(`@role=${role}`, base.id, element.line, 'unknown role');
    const complex = this.child(element, 'complex-check');
    const rule: XccdfRule = {
      kind: 'rule',
      ...base,
      rationale: this.text(element, 'rationale'),
      severity: SEVERITIES.has(severity as XccdfSeverity) ? (severity as XccdfSeverity) : 'unknown',
      role: ROLES.has(role as XccdfRole) ? (role as XccdfRole) : 'full',
      idents: this.all(element, 'ident').map((i) => ({
        system: attr(i, 'system') ?? '',
        value: i.text.trim(),
      })),
      references: this.all(element, 'reference').map((r) => ({
        href: attr(r, 'href'),
        text: plainText(r) ?? '',
      })),
      checks: this.all(element, 'check').map((c) => this.check(c)),
      complexCheck: complex ? this.complexCheck(complex) : undefined,
      fixes: this.all(element, 'fix').map((f) => this.fix(f, base.id)),
    };
    for (const child of element.children) {
      if (child.ns !== this.ns || !IGNORED.has(child.name)) this.unknown.element(child, rule.id);
    }
    this.rules.set(rule.id, rule);
    return rule;
  }

  check(element: XmlElement): XccdfCheck {
    return {
      kind: 'check',
      system: attr(element, 'system') ?? '',
      selector: attr(element, 'selector'),
      negate: attr(element, 'negate') === 'true',
      multiCheck: attr(element, 'multi-check') === 'true',
      exports: this.all(element, 'check-export').map((e) => ({
        valueId: attr(e, 'value-id') ?? '',
        exportName: attr(e, 'export-name') ?? '',
      })),
      imports: this.all(element, 'check-import').map((i) => ({
        importName: attr(i, 'import-name') ?? '',
        importXpath: attr(i, 'import-xpath'),
      })),
      contentRefs: this.all(element, 'check-content-ref').map((r) => ({
        href: attr(r, 'href') ?? '',
        name: attr(r, 'name'),
      })),
      hasInlineContent: this.child(element, 'check-content') !== undefined,
    };
  }

  complexCheck(element: XmlElement): XccdfComplexCheck {
    const checks: (XccdfCheck | XccdfComplexCheck)[] = [];
    for (const child of element.children) {
      if (child.ns === this.ns && child.name === 'check') checks.push(this.check(child));
      else if (child.ns === this.ns && child.name === 'complex-check') checks.push(this.complexCheck(child));
    }
    return {
      kind: 'complex-check',
      operator: attr(element, 'operator') === 'OR' ? 'OR' : 'AND',
      negate: attr(element, 'negate') === 'true',
      checks,
    };
  }

  fix(element: XmlElement, where: string): XccdfFix {
    const content: XccdfFixPart[] = [];
    for (const part of element.mixed ?? [element.text]) {
      if (typeof part === 'string') content.push(part);
      else if (part.ns === this.ns && part.name === 'sub') content.push({ sub: attr(part, 'idref') ?? '' });
      else if (part.ns === this.ns && part.name === 'instance') content.push({ sub: '@instance' });
      else this.unknown.element(part, where, 'element inside a fix');
    }
    const reboot = attr(element, 'reboot');
    return {
      id: attr(element, 'id'),
      system: attr(element, 'system'),
      complexity: attr(element, 'complexity'),
      disruption: attr(element, 'disruption'),
      reboot: reboot === undefined ? undefined : reboot === 'true' || reboot === '1',
      strategy: attr(element, 'strategy'),
      platform: attr(element, 'platform'),
      content: mergeText(content),
    };
  }

  value(element: XmlElement, ancestors: string[]): XccdfValue {
    const id = attr(element, 'id') ?? '';
    const type = attr(element, 'type') ?? 'string';
    const operator = attr(element, 'operator') ?? 'equals';
    if (!VALUE_TYPES.has(type as ValueType))
      this.unknown.value(`@type=${type}`, id, element.line, 'unknown Value type');
    if (!VALUE_OPERATORS.has(operator as ValueOperator)) {
      this.unknown.value(`@operator=${operator}`, id, element.line, 'unknown Value operator');
    }
    const selected = (name: string): Selected<string>[] =>
      this.all(element, name).map((v) => ({ selector: selectorOf(v), value: v.text }));
    const value: XccdfValue = {
      kind: 'value',
      id,
      title: this.text(element, 'title'),
      description: this.text(element, 'description'),
      type: VALUE_TYPES.has(type as ValueType) ? (type as ValueType) : 'string',
      operator: VALUE_OPERATORS.has(operator as ValueOperator) ? (operator as ValueOperator) : 'equals',
      interactive: attr(element, 'interactive') === 'true',
      hidden: attr(element, 'hidden') === 'true',
      values: selected('value'),
      defaults: selected('default'),
      lowerBounds: selected('lower-bound'),
      upperBounds: selected('upper-bound'),
      matches: selected('match'),
      choices: this.all(element, 'choices').map((c) => ({
        selector: selectorOf(c),
        value: {
          // xsd:boolean: "1" is as true as "true".
          mustMatch: attr(c, 'mustMatch') === 'true' || attr(c, 'mustMatch') === '1',
          choices: this.all(c, 'choice').map((choice) => choice.text),
        },
      })),
      ancestors,
    };
    for (const child of element.children) {
      if (child.ns === this.ns && VALUE_CHILDREN.has(child.name)) continue;
      const reason = child.name.startsWith('complex-')
        ? 'multi-valued XCCDF Values are not modelled'
        : 'element not modelled';
      this.unknown.element(child, id, reason);
    }
    this.values.set(id, value);
    return value;
  }

  profile(element: XmlElement): XccdfProfile {
    const id = attr(element, 'id') ?? '';
    const profile: XccdfProfile = {
      id,
      title: this.text(element, 'title'),
      description: this.text(element, 'description'),
      extends: attr(element, 'extends'),
      abstract: attr(element, 'abstract') === 'true',
      platforms: this.platforms(element),
      selects: [],
      refineValues: [],
      setValues: [],
      refineRules: [],
    };
    for (const child of element.children) {
      if (child.ns !== this.ns) {
        this.unknown.element(child, id);
        continue;
      }
      switch (child.name) {
        case 'select':
          profile.selects.push({
            idref: attr(child, 'idref') ?? '',
            selected: attr(child, 'selected') === 'true',
          });
          break;
        case 'refine-value': {
          const op = attr(child, 'operator');
          profile.refineValues.push({
            idref: attr(child, 'idref') ?? '',
            selector: attr(child, 'selector'),
            operator: op && VALUE_OPERATORS.has(op as ValueOperator) ? (op as ValueOperator) : undefined,
          });
          break;
        }
        case 'set-value':
          profile.setValues.push({ idref: attr(child, 'idref') ?? '', value: child.text });
          break;
        case 'refine-rule': {
          const weight = attr(child, 'weight');
          const severity = attr(child, 'severity');
          const role = attr(child, 'role');
          profile.refineRules.push({
            idref: attr(child, 'idref') ?? '',
            weight: weight === undefined ? undefined : Number(weight),
            selector: attr(child, 'selector'),
            severity: SEVERITIES.has(severity as XccdfSeverity) ? (severity as XccdfSeverity) : undefined,
            role: ROLES.has(role as XccdfRole) ? (role as XccdfRole) : undefined,
          });
          break;
        }
        case 'set-complex-value':
          this.unknown.element(child, id);
          break;
        default:
          if (!IGNORED.has(child.name)) this.unknown.element(child, id);
      }
    }
    return profile;
  }
}

export function parseBenchmark(element: XmlElement): XccdfBenchmark {
  const builder = new BenchmarkBuilder(element.ns);
  const id = attr(element, 'id') ?? '';
  const items = builder.items(element, [], id);
  const profiles = builder.all(element, 'Profile').map((p) => builder.profile(p));
  const version = builder.child(element, 'version');
  return {
    id,
    version: version ? version.text.trim() : undefined,
    resolved: attr(element, 'resolved') === '1' || attr(element, 'resolved') === 'true',
    style: attr(element, 'style'),
    title: builder.text(element, 'title'),
    description: builder.text(element, 'description'),
    status: builder.text(element, 'status'),
    platforms: builder.platforms(element),
    platformSpecification: parsePlatformSpecification(
      firstChild(element, NS.cpeLang, 'platform-specification'),
      builder.unknown,
    ),
    items,
    rules: builder.rules,
    groups: builder.groups,
    values: builder.values,
    profiles,
    unknown: builder.unknown.entries,
  };
}

function selectorOf(element: XmlElement): string | undefined {
  return attr(element, 'selector');
}

function numberOr(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isFinite(n) ? n : fallback;
}

/** Adjacent text chunks (saxes may split text around entities) become one string. */
function mergeText(parts: XccdfFixPart[]): XccdfFixPart[] {
  const merged: XccdfFixPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  return merged;
}

/** An XCCDF 1.2 Tailoring document: profiles that extend or replace a benchmark's profiles. */
export interface XccdfTailoring {
  id: string;
  /** `<benchmark href>` as written (informational: the benchmark comes from the command line). */
  benchmarkHref: string | undefined;
  version: string | undefined;
  profiles: XccdfProfile[];
  unknown: XccdfBenchmark['unknown'];
}

export function parseTailoring(element: XmlElement): XccdfTailoring {
  const builder = new BenchmarkBuilder(element.ns);
  const benchmark = builder.child(element, 'benchmark');
  const version = builder.child(element, 'version');
  return {
    id: attr(element, 'id') ?? '',
    benchmarkHref: benchmark ? attr(benchmark, 'href') : undefined,
    version: version ? version.text.trim() : undefined,
    profiles: builder.all(element, 'Profile').map((p) => builder.profile(p)),
    unknown: builder.unknown.entries,
  };
}
