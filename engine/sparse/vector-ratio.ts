/**
 * Vector-access ratio of a compressed tile with block > 1 (docs/sparse.md §3.3): small
 * tiles waste part of each vector; large ones (tile/block above a density-dependent threshold)
 * do not, and the ratio is 1.
 */
import type { DensityModel } from './density/model.ts';
import { SparsegaugeError } from '../errors.ts';

/**
 * Threshold on tile/block per block size, indexed by ⌊ρ/0.1⌋ − 1 (first column for ρ < 0.1). The
 * reference has rows for these block sizes only (it aborts on another one, see sparse-optimizations.ts).
 */
export const THRESHOLDS: Readonly<Record<number, readonly number[]>> = {
  2: [251, 125, 84, 63, 51, 42, 36, 32, 28, 1],
  4: [375, 188, 125, 94, 75, 63, 54, 47, 42, 1],
  8: [438, 219, 146, 110, 88, 73, 63, 55, 49, 1],
  16: [469, 235, 157, 118, 94, 79, 67, 59, 52, 1],
  32: [485, 243, 162, 122, 97, 81, 70, 61, 52, 1],
};

export function vectorAccessRatio(compressed: boolean, tileSize: number, blockSize: number, density: number, model: DensityModel, level: string): number {
  if (!compressed || tileSize === 0 || blockSize <= 1 || density >= 1) return 1;
  const row = THRESHOLDS[blockSize];
  if (!row) {
    throw new SparsegaugeError('unsupported', `compressed data at ${level} with block size ${blockSize}: only 2, 4, 8, 16, 32 are modelled`, {
      field: `architecture.${level}.block_size`,
    });
  }
  const threshold = row[density >= 0.1 ? Math.floor(density / 0.1) - 1 : 0];
  if (!(threshold > Math.floor(tileSize / blockSize))) return 1;
  let total = 0;
  for (let k = 1; k <= tileSize; k++) total += Math.ceil(k / blockSize) * model.probability({ size: tileSize }, k);
  return total / ((tileSize * density) / blockSize);
}
