/**
 * A small indenting XML writer: every text and attribute value goes through escaping here, so no
 * writer ever concatenates input into markup. Verbatim copies of source components go through
 * `raw`, which takes text that already is well-formed XML (checked by the parser that read it).
 */

/** Attributes in the order they are written; undefined values are left out. */
export type Attributes = readonly (readonly [string, string | number | undefined])[];

/**
 * XML 1.0 cannot carry most C0 control characters or unpaired surrogates, even as character
 * references. Collected file content can hold them (a binary byte in a config line), so they become
 * U+FFFD: the document stays well-formed and the spot stays visible.
 */
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values also keep tabs and line breaks (a parser would normalise them to spaces). */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

function checkName(name: string): string {
  // Names come from this code and from OVAL item entity names; never let one break the markup.
  if (!NAME.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name)}`);
  return name;
}

function attributeText(attributes: Attributes): string {
  let out = '';
  for (const [name, value] of attributes) {
    if (value === undefined) continue;
    out += ` ${checkName(name)}="${escapeAttribute(String(value))}"`;
  }
  return out;
}

export class XmlWriter {
  private readonly parts: string[] = [];
  private readonly open: string[] = [];

  /** `baseLevel`: indentation of the outermost element, for fragments pasted into a document. */
  constructor(
    private readonly indentUnit = '  ',
    private readonly baseLevel = 0,
  ) {}

  /** `<?xml ...?>` declaration; call first. */
  declaration(): this {
    this.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n');
    return this;
  }

  start(name: string, attributes: Attributes = []): this {
    this.parts.push(`${this.indent()}<${checkName(name)}${attributeText(attributes)}>\n`);
    this.open.push(name);
    return this;
  }

  end(name: string): this {
    const top = this.open.pop();
    if (top !== name) throw new Error(`closing <${name}> while <${top ?? 'nothing'}> is open`);
    this.parts.push(`${this.indent()}</${name}>\n`);
    return this;
  }

  /** An element with text content (or an empty element when text is undefined). */
  leaf(name: string, attributes: Attributes = [], text?: string): this {
    const tag = `${checkName(name)}${attributeText(attributes)}`;
    this.parts.push(
      text === undefined || text === ''
        ? `${this.indent()}<${tag}/>\n`
        : `${this.indent()}<${tag}>${escapeText(text)}</${name}>\n`,
    );
    return this;
  }

  /** Pre-serialised, well-formed XML (a verbatim component copy), on its own line. */
  raw(xml: string): this {
    this.parts.push(`${this.indent()}${xml}\n`);
    return this;
  }

  /** A writer for content that will sit inside the next element this one opens. */
  fork(): XmlWriter {
    return new XmlWriter(this.indentUnit, this.baseLevel + this.open.length + 1);
  }

  /** Appends what a forked writer wrote. */
  append(other: XmlWriter): this {
    this.parts.push(other.toString());
    return this;
  }

  toString(): string {
    if (this.open.length > 0) throw new Error(`unclosed elements: ${this.open.join(' > ')}`);
    return this.parts.join('');
  }

  private indent(): string {
    return this.indentUnit.repeat(this.baseLevel + this.open.length);
  }
}

/**
 * C `printf("%f")`: six decimals, ties to even on the exact binary value (JS toFixed rounds exact
 * ties up: 0.0078125 -> "0.007813" where oscap prints "0.007812").
 */
export function formatFixed6(value: number): string {
  const fixed = value.toFixed(6);
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 7);
  if (!/^50*$/.test(rest)) return fixed;
  // An exact tie: toFixed went away from zero; go back when the kept digit is even.
  const truncated = (value < 0 ? '-' : '') + exact.slice(0, point + 7);
  const lastDigit = Number(truncated[truncated.length - 1]);
  return lastDigit % 2 === 0 ? truncated : fixed;
}
