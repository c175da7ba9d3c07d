/**
 * Reading Timeloop's boost-serialized `map+stats.xml`: a small typed view over the parsed tree.
 * Every accessor names the XML path it wanted, so a file of another shape fails with that path.
 */
import { wrappedInt } from './fields.ts';
import { XMLParser } from 'fast-xml-parser';
import { SparsegaugeError } from '../../../engine/errors.ts';

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string, file: string): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false, // numbers are converted by us, from the exact printed digits
    trimValues: true,
    isArray: (name) => name === 'item',
  });
  try {
    return parser.parse(text, true) as XmlNode;
  } catch (e) {
    throw new SparsegaugeError('stats-parse', `malformed XML: ${(e as Error).message}`, { file });
  }
}

export class XmlView {
  constructor(
    readonly file: string,
    readonly node: unknown,
    readonly path: string,
  ) {}

  private fail(path: string, message: string): never {
    throw new SparsegaugeError('stats-parse', message, { file: this.file, field: path });
  }

  child(name: string): XmlView {
    const p = `${this.path}.${name}`;
    if (this.node === null || typeof this.node !== 'object' || !(name in (this.node as XmlNode))) this.fail(p, `missing XML element ${p}`);
    return new XmlView(this.file, (this.node as XmlNode)[name], p);
  }

  has(name: string): boolean {
    return this.node !== null && typeof this.node === 'object' && name in (this.node as XmlNode);
  }

  /** `<item>` children (boost collections). */
  items(): XmlView[] {
    if (this.node === '' || this.node === undefined) return [];
    const items = (this.node as XmlNode)?.item;
    if (!Array.isArray(items)) this.fail(`${this.path}.item`, `expected <item> elements under ${this.path}`);
    return items.map((n, i) => new XmlView(this.file, n, `${this.path}.item[${i}]`));
  }

  text(): string {
    if (typeof this.node !== 'string') this.fail(this.path, `expected a text value at ${this.path}`);
    return this.node;
  }

  /** A double as boost prints it (`%.17e`, `-nan`, `inf`). */
  number(): number {
    const t = this.text();
    if (/^-?nan$/i.test(t)) return Number.NaN;
    if (/^-?inf$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (!/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t)) this.fail(this.path, `expected a number at ${this.path}, found '${t}'`);
    // A uint64 count wrapped modulo 2^64 stands for a negative difference (see wrappedInt).
    return (/^\d+$/.test(t) && wrappedInt(t)) || Number(t);
  }

  /** An optional boost value `<x><t_>v</t_></x>`; empty element -> null. */
  optionalNumber(): number | null {
    // Unset: an empty element, or one carrying only boost's class attributes.
    if (this.node === '' || !this.has('t_')) return null;
    return this.child('t_').number();
  }

  /** `<x><PerDataSpace><item>..` as numbers, in problem data-space order. */
  perDataSpace(): number[] {
    return this.child('PerDataSpace').items().map((i) => i.number());
  }
}
