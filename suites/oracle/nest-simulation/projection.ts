/**
 * Data-space projections compiled to dimension indices, and the projection of an
 * operation-space box onto a data space (each rank index is Σ coefficient·dimension).
 */

import type { Problem } from '../../../engine/spec/types.ts';
import type { Box } from './point-set.ts';

export interface RankTerm {
  dim: number;
  coefficient: number;
}

export interface CompiledDataSpace {
  name: string;
  readWrite: boolean;
  /** One entry per rank, outermost first as written. */
  ranks: RankTerm[][];
}

export interface CompiledProblem {
  dimensions: string[];
  bounds: number[];
  dataSpaces: CompiledDataSpace[];
}

export function compileProblem(problem: Problem): CompiledProblem {
  const index = new Map(problem.dimensions.map((d, i) => [d, i] as const));
  return {
    dimensions: problem.dimensions,
    bounds: problem.dimensions.map((d) => problem.bounds[d]),
    dataSpaces: problem.dataSpaces.map((ds) => ({
      name: ds.name,
      readWrite: ds.readWrite,
      ranks: ds.projection.map((rank) =>
        rank.map((term) => ({ dim: index.get(term.dimension) as number, coefficient: term.coefficient })),
      ),
    })),
  };
}

/** Projects the operation-space box [low, high] (both inclusive) onto a data space. */
export function projectBox(ds: CompiledDataSpace, low: readonly number[], high: readonly number[]): Box {
  const min: number[] = new Array(ds.ranks.length);
  const max: number[] = new Array(ds.ranks.length);
  for (let r = 0; r < ds.ranks.length; r++) {
    let lo = 0;
    let hi = 0;
    for (const t of ds.ranks[r]) {
      // A negative coefficient swaps which corner gives the low end.
      if (t.coefficient < 0) {
        lo += high[t.dim] * t.coefficient;
        hi += low[t.dim] * t.coefficient;
      } else {
        lo += low[t.dim] * t.coefficient;
        hi += high[t.dim] * t.coefficient;
      }
    }
    min[r] = lo;
    max[r] = hi + 1;
  }
  return { min, max };
}

/** Size of the tile a box of extents `extent` (per dimension, from 0) projects to. */
export function tileSize(ds: CompiledDataSpace, extent: readonly number[]): number {
  let size = 1;
  for (const rank of ds.ranks) {
    let e = 1;
    for (const t of rank) e += Math.abs(t.coefficient) * (extent[t.dim] - 1);
    size *= e;
  }
  return size;
}
