import type { DensityModel, Tile } from './model.ts';

/**
 * Fixed-structured density: a tile of S words holds ⌊S·d⌋ or ⌈S·d⌉ non-zeros, weighted so the
 * mean is exactly S·d (double). A constrained tile uses d' = k_c / S_c instead of d.
 */
function exactNonZeros(tile: Tile, density: number): number {
  return tile.constraint ? tile.size * (tile.constraint.occupancy / tile.constraint.size) : tile.size * density;
}

export function fixedStructured(density: number): DensityModel {
  return {
    distribution: 'fixed-structured',
    density,
    probability(tile, k) {
      const x = exactNonZeros(tile, density);
      const lower = Math.floor(x);
      const probCeil = x - lower;
      // The floor branch is tested first: an integral x gives P(x) = 1.
      if (k === lower) return 1 - probCeil;
      if (k === Math.ceil(x)) return probCeil;
      return 0;
    },
    minOccupancy(size) {
      if (size === 0) return 0;
      // Goes through a density and back; may land one below ⌊S·d⌋ (then P = 0 there).
      const minDensity = Math.floor(size * density) / size;
      return Math.floor(minDensity * size);
    },
    maxOccupancy(size, confidence) {
      const x = size * density;
      const lower = Math.floor(x);
      return confidence <= 1 - (x - lower) ? lower : Math.ceil(x);
    },
    directExpectedOccupancy(size) {
      return size * density;
    },
  };
}
