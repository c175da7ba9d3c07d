/**
 * Field-by-field comparison of two results: every leaf of the expected result except `meta.*`
 * is compared with the same path in the actual one under its tolerance rule. A field missing in
 * the actual result is a discrepancy; extra fields in the actual result are not compared.
 */
import { flatten, valueAt } from './flatten.ts';
import { ruleFor, withinRule, type ToleranceRule, type Tolerances } from './tolerances.ts';

export interface Discrepancy {
  path: string;
  expected: unknown;
  /** undefined when the field is missing in the actual result. */
  actual: unknown;
  /** actual / expected when both are numbers (Infinity/NaN when expected is 0). */
  ratio?: number;
  rule: Pick<ToleranceRule, 'pattern' | 'kind' | 'value'>;
}

export interface Comparison {
  compared: number;
  outside: Discrepancy[];
}

function isEmptyContainer(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

function leafMatches(expected: unknown, actual: unknown, rule: ToleranceRule): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && withinRule(expected, actual, rule);
  if (isEmptyContainer(expected)) return isEmptyContainer(actual) && Array.isArray(expected) === Array.isArray(actual);
  return expected === actual;
}

export function compareResults(expected: unknown, actual: unknown, tolerances: Tolerances): Comparison {
  const outside: Discrepancy[] = [];
  let compared = 0;
  for (const [path, e] of flatten(expected)) {
    if (path === 'meta' || path.startsWith('meta.')) continue;
    compared++;
    const a = valueAt(actual, path);
    const rule = ruleFor(path, tolerances);
    if (a !== undefined && leafMatches(e, a, rule)) continue;
    const d: Discrepancy = { path, expected: e, actual: a, rule: { pattern: rule.pattern, kind: rule.kind, value: rule.value } };
    if (typeof e === 'number' && typeof a === 'number') d.ratio = a / e;
    outside.push(d);
  }
  return { compared, outside };
}

function show(v: unknown): string {
  if (v === undefined) return '(missing)';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** `path  expected  actual  ratio` */
export function formatDiscrepancy(d: Discrepancy): string {
  const ratio = d.ratio === undefined ? '-' : Number.isFinite(d.ratio) ? d.ratio.toPrecision(9) : String(d.ratio);
  return `${d.path}  ${show(d.expected)}  ${show(d.actual)}  ${ratio}`;
}

export function summaryLine(c: Comparison): string {
  return `${c.compared} fields compared, ${c.outside.length} outside tolerance`;
}
