/**
 * Data-space projections compiled to dimension indices, and the projection of an
 * operation-space box onto a data space (each rank index is Σ coefficient·dimension).
 */

import type { Problem } from '../input/types.ts';

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
  return {
    dimensions: problem.dimensions,
    bounds: problem.dimensions.map((d) => problem.bounds[d]),
    dataSpaces: problem.dataSpaces.map((ds) => ({
      name: ds.name,
      readWrite: ds.readWrite,
      ranks: ds.projection.map((rank) =>
        rank.map((term) => ({ dim: problem.dimensions.indexOf(term.dimension), coefficient: term.coefficient })),
      ),
    })),
  };
}

/**
 * Extent per rank of the tile an operation-space box of `extent` (per dimension, from 0) projects
 * to: a rank Σ c·d spans 1 + Σ |c|·(extent_d − 1) (a negative coefficient only mirrors it).
 */
export function rankExtents(ds: CompiledDataSpace, extent: readonly number[]): number[] {
  return ds.ranks.map((rank) => {
    let e = 1;
    for (const t of rank) e += Math.abs(t.coefficient) * (extent[t.dim] - 1);
    return e;
  });
}
