/**
 * The hypergeometric pmf as Boost.Math 1.74 evaluates it for a small population (N up to its
 * long-double factorial table, 1754): in long double, starting from n! and alternately dividing
 * by the denominator factorials (N!, x!, (n−x)!, (r−x)!, (N−n−r+x)!) while the value is ≥ 1 and
 * multiplying by the numerator ones (r!, (N−n)!, (N−r)!) while it is ≤ 1, each step rounded to a
 * 64-bit significand, then narrowed to double. A few long-double roundings can move the double
 * by an ulp from the exact pmf (e.g. 1 − P(0) = 9/14 for r = 3, n = 2, N = 8), which moves
 * ⌈R / (expansion / average instances)⌉ at a level whose tiles may be empty.
 */
import { type Ext, div, extFromPair, mul, toNumber } from './extended-float.ts';

/** Largest n with n! in Boost's long-double factorial table (80-bit long double). */
export const FACTORIAL_POPULATION = 1754;

const table: Ext[] = [];

/** n! rounded to a 64-bit significand (as the table's long-double literals are). */
function factorial(n: number): Ext {
  if (table.length === 0) {
    let f = 1n;
    for (let k = 0; k <= FACTORIAL_POPULATION; k++) {
      if (k > 0) f *= BigInt(k);
      const bits = f.toString(2).length;
      let m = bits > 64 ? f >> BigInt(bits - 64) : f << BigInt(64 - bits);
      if (bits > 64) {
        // Round the dropped bits to nearest, ties to even.
        const dropped = f & ((1n << BigInt(bits - 64)) - 1n);
        const half = 1n << BigInt(bits - 65);
        if (dropped > half || (dropped === half && (m & 1n) === 1n)) m += 1n;
      }
      // m / 2^63 in [1, 2] as hi + lo, scaled by 2^(bits − 1).
      const x = extFromPair(Number(m >> 11n) * 2 ** -52, Number(m & 2047n) * 2 ** -63);
      table.push({ ...x, e: x.e + bits - 1 });
    }
  }
  return table[n];
}

const atLeastOne = (x: Ext) => x.e > 0 || (x.e === 0 && (x.hi > 1 || (x.hi === 1 && x.lo >= 0)));
const atMostOne = (x: Ext) => x.e < 0 || (x.e === 0 && x.hi === 1 && x.lo <= 0);

/** pdf(x; r successes, n draws, population N), N ≤ FACTORIAL_POPULATION, x in the support. */
export function boostFactorialPdf(x: number, r: number, n: number, N: number): number {
  let result = factorial(n);
  const num = [factorial(r), factorial(N - n), factorial(N - r)];
  const den = [factorial(N), factorial(x), factorial(n - x), factorial(r - x), factorial(N - n - r + x)];
  let i = 0;
  let j = 0;
  while (i < 3 || j < 5) {
    while (j < 5 && (atLeastOne(result) || i >= 3)) result = div(result, den[j++]);
    while (i < 3 && (atMostOne(result) || j >= 5)) result = mul(result, num[i++]);
  }
  return toNumber(result);
}
