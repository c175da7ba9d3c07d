/**
 * Numeric spec fields with the ranges the engine computes exactly in (docs/numeric-limits.md).
 * Every parser reads integers and reals through these helpers, so a value out of range is one
 * `value` error naming its field, file, line and column, raised where it is read.
 *
 * - Counts are Timeloop's unsigned 64-bit integers; ours are doubles, exact up to 2^53 − 1. An
 *   integer spec field is a factor of counts, so it is bounded well below that: structural
 *   integers (dimension sizes, factors, coefficients, instance ranges, mesh, widths, block sizes,
 *   ports, banks) by 2^31 − 1, the 32-bit range Timeloop keeps them in; capacities (depth,
 *   entries) by 2^53 − 1. Products of them (computes, tile sizes, instances) are checked where
 *   they are formed (count-bound.ts) and every printed count once more (result/exactness.ts).
 * - Reals (energies, areas, bandwidths, densities) must be finite and 0 or of magnitude in
 *   [1e-30, 1e30]: far outside anything physical in pJ, µm² or words/cycle, and narrow enough
 *   that a product with a count (≤ 2^53) or a quotient of a count by one stays finite and normal,
 *   so no NaN, Infinity or underflow reaches a result.
 */
import type { Field } from './field.ts';
import { fail, scalarValue } from './field.ts';

/** Largest count a double holds exactly, with its successor: 2^53 − 1. */
export const MAX_EXACT_COUNT = Number.MAX_SAFE_INTEGER;
/** Bound of structural integer fields: 2^31 − 1 (Timeloop's 32-bit range). */
export const MAX_SPEC_INTEGER = 2 ** 31 - 1;
/** Magnitudes of real fields: 0, or within [MIN_REAL, MAX_REAL]. */
export const MIN_REAL = 1e-30;
export const MAX_REAL = 1e30;

export interface IntegerRange {
  min: number;
  /** default MAX_SPEC_INTEGER */
  max?: number;
}

export interface RealRange {
  /** inclusive lower bound (default 0) */
  min?: number;
  /** true: the lower bound itself is refused (e.g. densities in (0, 1]) */
  minExclusive?: boolean;
  /** inclusive upper bound (default MAX_REAL) */
  max?: number;
}

const describeLimit = (n: number): string =>
  n === MAX_EXACT_COUNT ? '2^53 - 1' : n === MAX_SPEC_INTEGER ? '2^31 - 1' : String(n);

/** A number scalar, or the YAML specials (.nan, .inf) refused as values rather than types. */
function numericScalar(f: Field, expected: string): number {
  const v = scalarValue(f);
  if (typeof v !== 'number') fail(f, 'schema', `expected a number, found ${v === null ? 'null' : `${typeof v} ${JSON.stringify(v)}`}`);
  if (Number.isNaN(v)) fail(f, 'value', `expected ${expected}, found NaN`);
  if (!Number.isFinite(v)) fail(f, 'value', `expected ${expected}, found ${v > 0 ? '' : '-'}infinity`);
  return v;
}

/** Check an integer already read (a YAML number or a number inside a string such as `C=4`). */
export function checkInteger(f: Field, v: number, range: IntegerRange, what = 'an integer'): number {
  const max = range.max ?? MAX_SPEC_INTEGER;
  if (!Number.isInteger(v)) fail(f, 'value', `expected ${what}, found ${v}`);
  if (v < range.min) fail(f, 'value', `expected ${what} >= ${range.min}, found ${v}`);
  if (v > max) fail(f, 'value', `${v} exceeds the largest ${what === 'an integer' ? 'value' : what} the model computes exactly with (${describeLimit(max)})`);
  return v;
}

/** An integer field in [min, max] (max defaults to 2^31 − 1). */
export function integerField(f: Field, range: IntegerRange): number {
  return checkInteger(f, numericScalar(f, 'an integer'), range);
}

/**
 * Digits read from inside a string (factors `C=4`, instance ranges `PE[0..167]`): checked on the
 * text, so a 30-digit number is refused without being rounded into range first.
 */
export function integerText(f: Field, digits: string, range: IntegerRange, what = 'an integer'): number {
  const max = range.max ?? MAX_SPEC_INTEGER;
  const negative = digits.startsWith('-');
  const body = digits.replace(/^[-+]?0*/, '') || '0';
  if (!negative && body.length > String(max).length) fail(f, 'value', `${digits} exceeds the largest ${what} the model computes exactly with (${describeLimit(max)})`);
  return checkInteger(f, Number(digits), range, what);
}

/** A finite real field, 0 or of magnitude in [1e-30, 1e30], within the given range. */
export function finiteNumberField(f: Field, range: RealRange = {}): number {
  return checkReal(f, numericScalar(f, 'a number'), range);
}

export function checkReal(f: Field, v: number, range: RealRange = {}): number {
  const min = range.min ?? 0;
  const max = range.max ?? MAX_REAL;
  const magnitude = Math.abs(v);
  if (magnitude !== 0 && magnitude < MIN_REAL) fail(f, 'value', `${v} is too small to compute with (non-zero magnitudes must be >= ${MIN_REAL})`);
  if (magnitude > MAX_REAL) fail(f, 'value', `${v} is too large to compute with (magnitudes must be <= ${MAX_REAL})`);
  if (v < min || (range.minExclusive && v === min)) fail(f, 'value', `expected a number ${range.minExclusive ? '>' : '>='} ${min}, found ${v}`);
  if (v > max) fail(f, 'value', `expected a number <= ${max}, found ${v}`);
  return v;
}
