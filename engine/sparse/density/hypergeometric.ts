import type { DensityModel, Tile } from './model.ts';
import { SparsegaugeError } from '../../errors.ts';

function memoizedPmf(tables: Map<string, PmfTable>, r: number, n: number, N: number): PmfTable {
  const key = `${r},${n},${N}`;
  let t = tables.get(key);
  if (!t) {
    t = hypergeometricPmf(r, n, N);
    tables.set(key, t);
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
export function hypergeometric(density: number, tensorSize: number): DensityModel {
  const totalNonZeros = Math.ceil(density * tensorSize);
  // Per-model memo of pmf tables keyed by (r, n, N); the model lives for one evaluation.
  const tables = new Map<string, PmfTable>();

  return {
    distribution: 'hypergeometric',
    density,
    probability(tile: Tile, k: number) {
      const [r, N] = tile.constraint
        ? [tile.constraint.occupancy, tile.constraint.size]
        : [totalNonZeros, tensorSize];
      const t = memoizedPmf(tables, r, tile.size, N);
      return k < t.kMin || k > t.kMin + t.p.length - 1 ? 0 : t.p[k - t.kMin];
    },
    minOccupancy(size) {
      // The reference computes the min tile density with an integer division (0 or 1).
      if (size <= tensorSize - totalNonZeros) return 0;
      const minDensity = Math.floor((size - tensorSize + totalNonZeros) / size);
      return Math.floor(minDensity * size);
    },
    maxOccupancy(size, confidence) {
      if (confidence !== 1) {
        throw new SparsegaugeError('unsupported', 'hypergeometric occupancy quantiles below confidence 1 are not implemented');
      }
      return Math.min(size, totalNonZeros);
    },
    directExpectedOccupancy(size) {
      // The mixture over the pmf (r/N for one word), not size·d.
      const t = memoizedPmf(tables, totalNonZeros, size, tensorSize);
      return t.p.reduce((sum, p, i) => sum + p * (t.kMin + i), 0);
    },
  };
}

export interface PmfTable {
  kMin: number;
  /** P(k) for k = kMin, kMin+1, ... */
  p: number[];
}

/**
 * pmf(k; r successes, n draws, N population) over its whole support. Unnormalized weights are
 * built by the term ratio outward from the mode (w(mode) = 1), then normalized: accurate to a few
 * ulps near the mode, where the mass is. The one-draw case is exact ((N−r)/N, r/N).
 */
export function hypergeometricPmf(r: number, n: number, N: number): PmfTable {
  // Boost's pmf is undefined for more draws than the population (the reference throws there).
  if (n > N) {
    throw new SparsegaugeError('unsupported', `a tile of ${n} words under a hypergeometric density of a ${N}-word tensor (the distribution needs tile <= tensor)`);
  }
  const kMin = Math.max(0, n + r - N);
  const kMax = Math.min(n, r);
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
