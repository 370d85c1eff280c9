/**
 * YAML parsing that remembers where things are, so every content error can name file and line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export interface ContentProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return problem.field ? `${where}: ${problem.field}: ${problem.message}` : `${where}: ${problem.message}`;
}

export interface YamlSource {
  file: string;
  data: unknown;
  /** Line (1-based) of the deepest node along `path` that exists: the key of a field, or its parent. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses YAML text; syntax errors come back as problems with their line. */
export function parseYamlSource(file: string, text: string): YamlSource | ContentProblem {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    return {
      file,
      line: syntaxError.linePos?.[0]?.line,
      message: syntaxError.message.split('\n')[0] ?? 'invalid YAML',
    };
  }
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;

  return {
    file,
    data: doc.toJS(),
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineAt((node as Node | null)?.range?.[0]);
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
          );
          if (!pair) break;
          line = lineAt((pair.key as Node).range?.[0]) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment];
          if (!item) break;
          line = lineAt((item as Node).range?.[0]) ?? line;
          node = item;
        } else {
          break;
        }
      }
      return line;
    },
  };
}
