/** Format access counts per rank (docs/sparse.md §2.3): ⌈units · X/S⌉ per field. */
import type { RankUnits } from './occupancy.ts';

export interface AlgorithmicCounts {
  reads: number;
  fills: number;
  updates: number;
}

export interface FormatAccesses {
  reads: RankUnits[];
  fills: RankUnits[];
  updates: RankUnits[];
}

export function formatAccesses(expectedRanks: RankUnits[], counts: AlgorithmicCounts, tileSize: number): FormatAccesses {
  return {
    reads: scaledRanks(expectedRanks, counts.reads / tileSize),
    fills: scaledRanks(expectedRanks, counts.fills / tileSize),
    updates: scaledRanks(expectedRanks, counts.updates / tileSize),
  };
}

function scaledRanks(expectedRanks: RankUnits[], ratio: number): RankUnits[] {
  return expectedRanks.map((u) => ({ metadata: Math.ceil(u.metadata * ratio), payload: Math.ceil(u.payload * ratio) }));
}
