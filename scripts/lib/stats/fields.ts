/**
 * Typed field readers on top of LineCursor: each reads one `label : value` line and converts the
 * value strictly (integers must be integers, units must be the expected ones).
 */
import type { LineCursor } from './cursor.ts';
import type { RankPair } from '../../../engine/result/schema.ts';

const INT = /^-?\d+$/;
const NUM = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * An integer as printed. Timeloop's counts are uint64: a negative difference (e.g. a SAF's delta
 * with a negative effective probability, reduction ops below the output size) prints wrapped
 * modulo 2^64; such a value (≥ 2^63) is read back as the negative number it stands for.
 */
export function wrappedInt(text: string): number | null {
  if (!INT.test(text)) return null;
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(text);
  if (big < 2n ** 63n || big >= 2n ** 64n) return null;
  const signed = Number(big - 2n ** 64n);
  return Number.isSafeInteger(signed) ? signed : null;
}

function toInt(c: LineCursor, label: string, text: string, line: number): number {
  if (!INT.test(text)) c.fail(label, `expected an integer for '${label}', found '${text}'`, line);
  const n = wrappedInt(text);
  if (n === null) c.fail(label, `integer out of range for '${label}': '${text}'`, line);
  return n!;
}

function toNum(c: LineCursor, label: string, text: string, line: number): number {
  if (!NUM.test(text)) c.fail(label, `expected a number for '${label}', found '${text}'`, line);
  return Number(text);
}

function stripUnit(c: LineCursor, label: string, text: string, unit: string, line: number): string {
  const suffix = ` ${unit}`;
  if (!text.endsWith(suffix)) c.fail(label, `expected a value in ${unit} for '${label}', found '${text}'`, line);
  return text.slice(0, -suffix.length).trim();
}

export function readInt(c: LineCursor, label: string, sep = ':'): number {
  const { text, line } = c.expectField(label, sep);
  return toInt(c, label, text, line);
}

export function readNum(c: LineCursor, label: string, unit?: string, sep = ':'): number {
  const f = c.expectField(label, sep);
  const text = unit ? stripUnit(c, label, f.text, unit, f.line) : f.text;
  return toNum(c, label, text, f.line);
}

/** A number printed `-` when unset (unbounded size, no bandwidth limit). */
export function readNumOrDash(c: LineCursor, label: string, unit?: string): number | null {
  const f = c.expectField(label);
  const text = unit ? stripUnit(c, label, f.text, unit, f.line) : f.text;
  return text === '-' ? null : toNum(c, label, text, f.line);
}

export function readText(c: LineCursor, label: string): string {
  return c.expectField(label).text;
}

/** `Instances : 168 (14*12)` */
export function readInstances(c: LineCursor, label = 'Instances'): { instances: number; meshX: number; meshY: number } {
  const { text, line } = c.expectField(label);
  const m = /^(\d+) \((\d+)\*(\d+)\)$/.exec(text);
  if (!m) c.fail(label, `expected 'N (X*Y)' for '${label}', found '${text}'`, line);
  return { instances: Number(m[1]), meshX: Number(m[2]), meshY: Number(m[3]) };
}

/** `Breakdown (Data, Format): (76.17%, 23.83%)` */
export function readBreakdown(c: LineCursor): [number, number] {
  const label = 'Breakdown (Data, Format)';
  const { text, line } = c.expectField(label);
  const m = /^\((\S+)%, (\S+)%\)$/.exec(text);
  if (!m) c.fail(label, `expected '(D%, F%)' for '${label}', found '${text}'`, line);
  return [toNum(c, label, m[1], line), toNum(c, label, m[2], line)];
}

/**
 * A per-rank (metadata, payload) list: either `label : 0` (no format) or the bare label followed
 * by `Rank N (metadata, payload): (m, p)` lines.
 */
export function readRankPairs(c: LineCursor, label: string, bareMeansNone = false): RankPair[] {
  const first = c.next(label);
  const lineNo = c.lineNumber - 1;
  const body = first.trim();
  if (!body.startsWith(label)) c.fail(label, `expected field '${label}', found '${body}'`, lineNo);
  const rest = body.slice(label.length).trim();
  if (rest !== '') {
    const m = /^:\s*(.*)$/.exec(rest);
    if (!m || m[1] !== '0') c.fail(label, `expected '${label} : 0' or a rank list, found '${body}'`, lineNo);
    return [];
  }
  const pairs: RankPair[] = [];
  while (c.nextStartsWith('Rank ')) {
    const rankLabel = `${label} rank`;
    const line = c.next(rankLabel).trim();
    const ln = c.lineNumber - 1;
    const m = /^Rank (\d+) \(metadata, payload\): \(\s*(\d+),\s*(\d+)\)$/.exec(line);
    if (!m) c.fail(rankLabel, `expected 'Rank N (metadata, payload): (m, p)', found '${line}'`, ln);
    pairs.push({ rank: Number(m[1]), metadata: Number(m[2]), payload: Number(m[3]) });
  }
  // 2021 builds print the bare label, with no rank lines, for a tensor without a format.
  if (pairs.length === 0 && !bareMeansNone) c.fail(`${label} rank`, `expected at least one 'Rank N (metadata, payload)' line after '${label}'`);
  return pairs;
}

export { toInt, toNum };
