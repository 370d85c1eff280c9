/**
 * XCCDF platform applicability through CPE, as oscap decides it.
 *
 * A `<platform idref>` is either `#id` (a cpe-lang platform of the benchmark: a logical test over
 * CPE names) or a CPE name. A CPE name is applicable when its CPE dictionary item's OVAL check
 * (in the data stream's CPE OVAL component) evaluates to true; an unknown name is not applicable.
 * Platforms of one element are OR'ed; each level of the Group -> Rule chain must be applicable.
 */
import type { CpeLogicalNode } from '../model/cpe.js';
import type { XccdfBenchmark } from '../model/xccdf.js';

/** Evaluates an OVAL check named by a CPE item or check-fact-ref: true when its result is `true`. */
export type CpeCheckEvaluator = (href: string, definitionId: string) => Promise<boolean>;

export interface CpeDictionaryView {
  /** OVAL checks of a CPE name in the dictionary, or undefined when the name is not there. */
  checksOf(name: string): { href: string; name: string }[] | undefined;
}

export class Applicability {
  private readonly memo = new Map<string, Promise<boolean>>();
  /** Platforms found applicable, in the order first found (TestResult lists them). */
  readonly applicable: string[] = [];

  constructor(
    private readonly benchmark: XccdfBenchmark,
    private readonly dictionary: CpeDictionaryView | undefined,
    private readonly evaluateCheck: CpeCheckEvaluator,
  ) {}

  /** True when any of the platforms applies (an element without platforms always applies). */
  async anyApplicable(platforms: readonly string[]): Promise<boolean> {
    if (platforms.length === 0) return true;
    const results = await Promise.all(platforms.map((p) => this.platform(p)));
    return results.some(Boolean);
  }

  platform(idref: string): Promise<boolean> {
    let pending = this.memo.get(idref);
    if (!pending) {
      pending = this.evaluatePlatform(idref).then((ok) => {
        if (ok) this.applicable.push(idref);
        return ok;
      });
      this.memo.set(idref, pending);
    }
    return pending;
  }

  private async evaluatePlatform(idref: string): Promise<boolean> {
    if (idref.startsWith('#')) {
      const platform = this.benchmark.platformSpecification.platforms.get(idref.slice(1));
      if (!platform?.test) return false;
      return this.logical(platform.test);
    }
    return this.cpeName(idref);
  }

  private async logical(node: CpeLogicalNode): Promise<boolean> {
    switch (node.kind) {
      case 'fact-ref':
        return this.cpeName(node.name);
      case 'check-fact-ref':
        return this.evaluateCheck(node.href, node.idref);
      case 'logical-test': {
        const results = await Promise.all(node.children.map((c) => this.logical(c)));
        const value = node.operator === 'AND' ? results.every(Boolean) : results.some(Boolean);
        return node.negate ? !value : value;
      }
    }
  }

  private async cpeName(name: string): Promise<boolean> {
    const checks = this.dictionary?.checksOf(name);
    if (!checks || checks.length === 0) return false;
    // oscap uses the first OVAL check of the item.
    const [check] = checks;
    return check ? this.evaluateCheck(check.href, check.name) : false;
  }
}
