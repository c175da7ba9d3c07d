/**
 * The density-model contract: how many non-zeros a tile of a tensor holds.
 *
 * A tile is only described by its size in words; a *constrained* tile additionally knows that an
 * enclosing tile of `constraint.size` words holds exactly `constraint.occupancy` non-zeros (used
 * when metadata occupancy is evaluated for one possible data-tile occupancy).
 */

export interface TileConstraint {
  size: number;
  occupancy: number;
}

export interface Tile {
  size: number;
  constraint?: TileConstraint;
}

export interface DensityModel {
  /** Distribution name as the stats print it (`fixed-structured`, `hypergeometric`). */
  readonly distribution: string;
  /** The tensor's nominal density (what the input says). */
  readonly density: number;
  /** P(tile holds exactly k non-zeros). */
  probability(tile: Tile, k: number): number;
  /** Smallest occupancy the occupancy sum starts from (unconstrained tile). */
  minOccupancy(tileSize: number): number;
  /** Largest occupancy at the given confidence (unconstrained tile); confidence 1 = capacity. */
  maxOccupancy(tileSize: number, confidence: number): number;
  /**
   * Optional: [first, last] occupancies of an unconstrained tile outside which P(k) is 0 as a
   * double (the occupancy sums skip the rest: adding 0 changes no sum).
   */
  outcomeRange?(tileSize: number): [number, number];
  /** Direct expected occupancy of an unconstrained tile (the compute analysis asks this). */
  directExpectedOccupancy(tileSize: number): number;
}

/** P(tile empty): the probability of occupancy 0. */
export function probabilityEmpty(model: DensityModel, tile: Tile): number {
  return model.probability(tile, 0);
}

export interface OccupancyOutcome {
  k: number;
  p: number;
}

/**
 * The possible occupancies of an unconstrained tile, increasing k from the min to the max
 * occupancy at confidence 1, zero-probability ones dropped. This is the order in which every
 * expected value is summed (the order matters in double arithmetic).
 */
export function occupancyOutcomes(model: DensityModel, tileSize: number): OccupancyOutcome[] {
  const out: OccupancyOutcome[] = [];
  let kMax = model.maxOccupancy(tileSize, 1);
  let k = model.minOccupancy(tileSize);
  const range = model.outcomeRange?.(tileSize);
  if (range) {
    k = Math.max(k, range[0]);
    kMax = Math.min(kMax, range[1]);
  }
  for (; k <= kMax; k++) {
    const p = model.probability({ size: tileSize }, k);
    if (p !== 0) out.push({ k, p });
  }
  return out;
}

/** Expected occupancy as the increasing-k mixture Σ P(k)·k (docs/sparse.md §1.1). */
export function expectedOccupancy(model: DensityModel, tileSize: number): number {
  let total = 0;
  for (const { k, p } of occupancyOutcomes(model, tileSize)) total += p * k;
  return total;
}
