import type { DensityModel, Tile } from './model.ts';
import { SparsegaugeError } from '../../errors.ts';
import { LANCZOS_POPULATION, boostHypergeometricPdf, boostHypergeometricPdfOf } from './boost-hypergeometric.ts';
import { FACTORIAL_POPULATION, boostFactorialPdf } from './boost-factorial-pdf.ts';
import { certainlyZero, nonZeroSupport } from './hypergeometric-support.ts';

/**
 * Most occupancies of a tile the model sums over one by one (each an emulated long-double Boost
 * evaluation above LANCZOS_POPULATION); only the non-zero ones are visited, and a tile with more
 * than this many is refused rather than evaluated for minutes (docs/numeric-limits.md).
 */
export const MAX_OCCUPANCY_OUTCOMES = 2 ** 15;

/**
 * Memoized pmf tables hold at most this many probabilities in all; past it the memo starts over.
 * Constrained queries build one table per (occupancy, sub-tile), each up to 104729 entries: kept
 * all, they could fill gigabytes; the values do not depend on the memo.
 */
const MAX_MEMOIZED_PROBABILITIES = 2 ** 22;

interface PmfMemo {
  tables: Map<string, PmfTable>;
  entries: number;
}

function memoizedPmf(memo: PmfMemo, r: number, n: number, N: number): PmfTable {
  const key = `${r},${n},${N}`;
  let t = memo.tables.get(key);
  if (!t) {
    t = hypergeometricPmf(r, n, N);
    if (memo.entries + t.p.length > MAX_MEMOIZED_PROBABILITIES) {
      memo.tables.clear();
      memo.entries = 0;
    }
    memo.tables.set(key, t);
    memo.entries += t.p.length;
  }
  return t;
}

/** The pmf's ratio w(k+1)/w(k). */
function weightRatio(r: number, n: number, N: number, k: number): number {
  return ((r - k) * (n - k)) / ((k + 1) * (N - r - n + k + 1));
}

/**
 * Hypergeometric density: the tensor of N words holds r = ⌈d·N⌉ non-zeros placed uniformly at
 * random; a tile of n words holds k of them with the hypergeometric pmf. A constrained tile uses
 * (r, N) = (k_c, S_c).
 */
export function hypergeometric(density: number, tensorSize: number, where: { dataSpace: string; file?: string } = { dataSpace: 'tensor' }): DensityModel {
  const totalNonZeros = Math.ceil(density * tensorSize);
  // Per-model memo of pmf tables keyed by (r, n, N); the model lives for one evaluation.
  const tables: PmfMemo = { tables: new Map(), entries: 0 };
  // Above Boost's Lanczos threshold each P(k) is an emulated evaluation: memoized one by one, as
  // most queries (empty sub-tiles of a constrained tile) need a single k.
  const points = new Map<string, number>();
  const pdfs = new Map<string, (k: number) => number>();
  const pmfAt = (r: number, n: number, N: number, k: number): number => {
    if (N <= LANCZOS_POPULATION) {
      const t = memoizedPmf(tables, r, n, N);
      return k < t.kMin || k > t.kMin + t.p.length - 1 ? 0 : t.p[k - t.kMin];
    }
    checkDraws(n, N);
    if (k < Math.max(0, n + r - N) || k > Math.min(n, r)) return 0;
    // Far from the mode Boost's value is 0 as a double: no need to evaluate it.
    if (certainlyZero(k, r, n, N)) return 0;
    const key = `${r},${n},${N},${k}`;
    let p = points.get(key);
    if (p === undefined) {
      const distribution = `${r},${n},${N}`;
      let pdf = pdfs.get(distribution);
      if (!pdf) pdfs.set(distribution, (pdf = boostHypergeometricPdfOf(r, n, N)));
      p = pdf(k);
      points.set(key, p);
    }
    return p;
  };

  const outcomeRange = (size: number): [number, number] => {
    const kMin = Math.max(0, size + totalNonZeros - tensorSize);
    const kMax = Math.min(size, totalNonZeros);
    // Up to the Lanczos threshold the pmf is a table of at most 104729 entries: visit all of it.
    if (tensorSize <= LANCZOS_POPULATION || kMin >= kMax) return [kMin, kMax];
    checkDraws(size, tensorSize);
    const [first, last] = nonZeroSupport(totalNonZeros, size, tensorSize);
    if (last - first + 1 > MAX_OCCUPANCY_OUTCOMES) {
      throw new SparsegaugeError(
        'unsupported',
        `the hypergeometric occupancy of a ${size}-word tile of ${where.dataSpace} (${tensorSize} words, ${totalNonZeros} non-zeros) has ${last - first + 1} non-negligible outcomes, more than the ${MAX_OCCUPANCY_OUTCOMES} the model evaluates exactly one by one`,
        { file: where.file, field: `problem.instance.densities.${where.dataSpace}` },
      );
    }
    return [first, last];
  };

  return {
    distribution: 'hypergeometric',
    density,
    probability(tile: Tile, k: number) {
      const [r, N] = tile.constraint
        ? [tile.constraint.occupancy, tile.constraint.size]
        : [totalNonZeros, tensorSize];
      return pmfAt(r, tile.size, N, k);
    },
    minOccupancy(size) {
      // The reference's min tile density (tile − N + r) / tile mixes unsigned 64-bit sizes with a
      // double r: a tile smaller than the tensor wraps tile − N modulo 2^64, so the density is
      // huge and ⌊density·tile⌋ ≥ 2^64 (converted to 0 on x86-64) or just below it (no outcome
      // reaches it: an empty expectation); a whole-tensor tile gets ⌊r/N·N⌋, i.e. r.
      if (size <= tensorSize - totalNonZeros) return 0;
      const difference = size >= tensorSize ? size - tensorSize : Number(2n ** 64n - BigInt(tensorSize - size));
      const minOccupancy = Math.floor(((difference + totalNonZeros) / size) * size);
      return minOccupancy >= 2 ** 64 ? 0 : minOccupancy;
    },
    outcomeRange,
    maxOccupancy(size, confidence) {
      if (confidence !== 1) {
        throw new SparsegaugeError('unsupported', 'hypergeometric occupancy quantiles below confidence 1 are not implemented');
      }
      return Math.min(size, totalNonZeros);
    },
    directExpectedOccupancy(size) {
      // The mixture over the pmf (r/N for one word), not size·d.
      let sum = 0;
      const [first, last] = outcomeRange(size);
      for (let k = first; k <= last; k++) sum += pmfAt(totalNonZeros, size, tensorSize, k) * k;
      return sum;
    },
  };
}

export interface PmfTable {
  kMin: number;
  /** P(k) for k = kMin, kMin+1, ... */
  p: number[];
}

/** Boost's pmf is undefined for more draws than the population (the reference throws there). */
function checkDraws(n: number, N: number): void {
  if (n > N) {
    throw new SparsegaugeError('unsupported', `a tile of ${n} words under a hypergeometric density of a ${N}-word tensor (the distribution needs tile <= tensor)`);
  }
}

/**
 * pmf(k; r successes, n draws, N population) over its whole support. Above Boost's Lanczos
 * threshold, the reference's (inexact) evaluation, k by k; up to its long-double factorial table
 * (N ≤ 1754), its factorial evaluation, k by k. In between Boost is accurate to a few
 * long-double ulps, so an accurate pmf serves: unnormalized weights built by the term ratio
 * outward from the mode (w(mode) = 1), then normalized, a few ulps near the mode, where the mass
 * is; the one-draw case is exact ((N−r)/N, r/N).
 */
export function hypergeometricPmf(r: number, n: number, N: number): PmfTable {
  checkDraws(n, N);
  const kMin = Math.max(0, n + r - N);
  const kMax = Math.min(n, r);
  if (N > LANCZOS_POPULATION || N <= FACTORIAL_POPULATION) {
    const pdf = N > LANCZOS_POPULATION ? boostHypergeometricPdf : boostFactorialPdf;
    const p: number[] = [];
    for (let k = kMin; k <= kMax; k++) p.push(pdf(k, r, n, N));
    return { kMin, p };
  }
  if (kMin === kMax) return { kMin, p: [1] };
  if (n === 1) return { kMin: 0, p: [(N - r) / N, r / N] };
  const mode = Math.min(kMax, Math.max(kMin, Math.floor(((n + 1) * (r + 1)) / (N + 2))));
  const w = new Array<number>(kMax - kMin + 1).fill(0);
  w[mode - kMin] = 1;
  for (let k = mode; k < kMax; k++) {
    const next = w[k - kMin] * weightRatio(r, n, N, k);
    if (next === 0) break;
    w[k + 1 - kMin] = next;
  }
  for (let k = mode; k > kMin; k--) {
    const prev = w[k - kMin] / weightRatio(r, n, N, k - 1);
    if (prev === 0) break;
    w[k - 1 - kMin] = prev;
  }
  // Sum smallest first so the tails are not lost.
  const sum = [...w].sort((a, b) => a - b).reduce((s, x) => s + x, 0);
  return { kMin, p: w.map((x) => x / sum) };
}
