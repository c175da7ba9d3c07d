/**
 * Loop → rank assignment for one tensor at one level (docs/sparse.md §2.1), default order
 * "outer-to-inner". Rank 0 is the innermost rank (the last one listed in `ranks:`).
 */
import { SparsegaugeError } from '../../errors.ts';

export interface RankLoop {
  dimension: string;
  /** Loop end after any folding of inner-level factors. */
  end: number;
  /** Words of the tensor spanned by the box of every loop at or below this one. */
  tileSize: number;
}

export interface RankAssignmentInput {
  /** Loops that index the tensor, innermost first (unit loops included). */
  loops: RankLoop[];
  /** Number of ranks to fill at this level (format ranks, or 1 for an unformatted tensor). */
  rankCount: number;
  /** Ranks below this id are taken by pre-tiling (the child's ranks); 0 otherwise. */
  innerRankId: number;
  /** Per rank id: the flattened-rankIDs groups, or null when the rank has none. */
  flattening: (string[][] | null)[];
  /** Whether the tensor has a format here (an unformatted tensor flattens everything into one rank). */
  hasMetadata: boolean;
  /** For error messages. */
  where: { level: string; dataSpace: string };
}

export interface RankAssignment {
  /** Index = rank id; the loops each rank absorbed, innermost first. */
  rankLoops: RankLoop[][];
  /** Index = rank id; words spanned by the rank's outermost absorbed loop (one fiber's tile). */
  rankTileSize: number[];
}

export const trivial = (loop: RankLoop) => loop.end <= 1;

/** Whether a rank of `group` (all dimensions when the tensor has no format) takes the loop too. */
export function absorbs(loop: RankLoop, hasMetadata: boolean, group: string[] | null): boolean {
  return !hasMetadata || (group !== null && group.includes(loop.dimension)) || trivial(loop);
}

export function assignLoopsToRanks(input: RankAssignmentInput): RankAssignment {
  const { loops, rankCount, innerRankId, flattening, hasMetadata } = input;
  const rankLoops: RankLoop[][] = new Array(rankCount).fill(null).map(() => []);
  // A rank with no loop spans the innermost relevant loop's tile (as the reference records it).
  const emptyRankTile = loops.length > 0 ? loops[0].tileSize : 1;
  const rankTileSize: number[] = new Array(rankCount).fill(emptyRankTile);

  let loopId = loops.length - 1;
  let rankId = rankCount;
  while (rankId > innerRankId && loopId >= 0) {
    while (loopId >= 0 && trivial(loops[loopId])) loopId--;
    if (loopId < 0) break;
    rankId--;
    const head = loops[loopId];
    const rules = hasMetadata ? flattening[rankId] : null;
    let group: string[] | null = null;
    if (rules) {
      group = rules.find((g) => g.includes(head.dimension)) ?? null;
      // The rank may only hold listed dimensions: it stays empty and the loop goes to the next rank.
      if (!group) continue;
    }
    const taken: RankLoop[] = [head];
    rankTileSize[rankId] = head.tileSize;
    loopId--;
    if (!hasMetadata || group !== null) {
      while (loopId >= 0 && absorbs(loops[loopId], hasMetadata, group)) {
        if (!trivial(loops[loopId])) taken.push(loops[loopId]);
        loopId--;
      }
    }
    rankLoops[rankId] = taken.reverse();
  }
  for (; loopId >= 0; loopId--) if (!trivial(loops[loopId])) moreRanksNeeded(input, loops[loopId]);
  return { rankLoops, rankTileSize };
}

/** A non-unit loop no rank could take. */
export function moreRanksNeeded(input: RankAssignmentInput, loop: RankLoop): never {
  throw new SparsegaugeError(
    'unsupported',
    `more compression ranks needed than the format of ${input.where.dataSpace} at ${input.where.level} provides (loop over ${loop.dimension} left over)`,
    { field: `sparse_optimizations.targets.${input.where.level}.representation-format.data-spaces.${input.where.dataSpace}.ranks` },
  );
}

/** Fiber shape of a rank: words of the tensor spanned by the rank's loops alone. */
export function fiberShape(loopsOfRank: RankLoop[], tileSizeOfBox: (extents: Record<string, number>) => number): number {
  const extents: Record<string, number> = {};
  for (const loop of loopsOfRank) extents[loop.dimension] = (extents[loop.dimension] ?? 1) * loop.end;
  return tileSizeOfBox(extents);
}
