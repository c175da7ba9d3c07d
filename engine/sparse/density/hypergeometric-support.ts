/**
 * Where a hypergeometric pmf can be non-zero in double arithmetic. Timeloop sums P(k)·k over every
 * occupancy k of a tile; a term whose P(k) is 0 as a double adds exactly nothing, so summing only
 * the others gives the same double. A double is 0 below 2^-1075 (half the least subnormal), and
 * Boost's long-double evaluation is within ~10^-13 relative of the exact pmf, so any k with
 * ln P(k) < ln 2^-1075 − margin evaluates to 0 there as here. ln P(k) comes from ln x! (Stirling
 * series, accurate to a few ulps of its magnitude); the margin covers the cancellation of its nine
 * terms with room to spare. The pmf is log-concave, so the non-zero k form one interval around
 * the mode, found by bisection: O(log n) work whatever the tile.
 */

/** ln 2^-1075: below this a double rounds to 0. */
const LN_DOUBLE_ZERO = -1075 * Math.LN2;
const LN_SQRT_2PI = 0.9189385332046728;

const SMALL = 256;
const SMALL_LOG_FACTORIAL: number[] = [0];
for (let i = 1; i < SMALL; i++) SMALL_LOG_FACTORIAL.push(SMALL_LOG_FACTORIAL[i - 1] + Math.log(i));

/** ln(x!) for an integer x ≥ 0. */
export function logFactorial(x: number): number {
  if (x < SMALL) return SMALL_LOG_FACTORIAL[x];
  const z = x + 1;
  const z2 = z * z;
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + (1 / 12 - (1 / 360 - 1 / (1260 * z2)) / z2) / z;
}

/** ln P(k) of k successes in n draws from N holding r successes (k inside the support). */
export function logPmf(k: number, r: number, n: number, N: number): number {
  return (
    logFactorial(r) - logFactorial(k) - logFactorial(r - k) +
    logFactorial(N - r) - logFactorial(n - k) - logFactorial(N - r - n + k) -
    logFactorial(N) + logFactorial(n) + logFactorial(N - n)
  );
}

/** Error allowance on logPmf: a generous multiple of the rounding of its largest terms. */
function margin(N: number): number {
  return 4 + 9 * logFactorial(N) * 2 ** -40;
}

/** True when P(k) is certainly 0 as a double (k inside the support). */
export function certainlyZero(k: number, r: number, n: number, N: number): boolean {
  return logPmf(k, r, n, N) + margin(N) < LN_DOUBLE_ZERO;
}

/** The k in [kMin, kMax] whose P(k) may be non-zero, as [first, last]. */
export function nonZeroSupport(r: number, n: number, N: number): [number, number] {
  const kMin = Math.max(0, n + r - N);
  const kMax = Math.min(n, r);
  const mode = Math.min(kMax, Math.max(kMin, Math.floor(((n + 1) * (r + 1)) / (N + 2))));
  const zero = (k: number) => certainlyZero(k, r, n, N);
  // Smallest k ≤ mode not certainly zero (zero-ness decreases towards the mode).
  let lo = kMin;
  let hi = mode;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zero(mid)) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  lo = mode;
  hi = kMax;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (zero(mid)) hi = mid - 1;
    else lo = mid;
  }
  return [first, lo];
}
