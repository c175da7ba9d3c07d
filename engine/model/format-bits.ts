/**
 * Format (metadata + payload) bits one tensor moves per action (docs/sparse.md §3.3, §7):
 * per rank, metadata count × metadata word bits + payload count × payload word bits, summed over
 * ranks. They drive metadata energy (packed into metadata-storage-width words), format bandwidth
 * (in data words) and whether the stats list an action's per-rank format counts at all.
 */
import type { FineGrainedTensorCounts, RankUnits } from '../analysis/types.ts';

export interface ActionBits {
  random: number;
  gated: number;
  skipped: number;
}

export interface FormatAccessBits {
  reads: ActionBits;
  fills: ActionBits;
  updates: ActionBits;
}

function bitsOf(units: RankUnits[], wordBits: { metadata: number; payload: number }[]): number {
  let total = 0;
  units.forEach((u, r) => {
    const b = wordBits[r] ?? { metadata: 0, payload: 0 };
    total += b.metadata * u.metadata + b.payload * u.payload;
  });
  return total;
}

/**
 * The reference accumulates these bits only at a level with metadata storage: with a metadata
 * storage width of 0 every action moves 0 bits (no metadata energy, no format bandwidth, and its
 * format counts print as 0) even though the counts themselves exist.
 */
export function formatAccessBits(t: FineGrainedTensorCounts, metadataStorageWidth: number): FormatAccessBits {
  return {
    reads: actionBits(t.formatReads, t.formatWordBits, metadataStorageWidth),
    fills: actionBits(t.formatFills, t.formatWordBits, metadataStorageWidth),
    updates: actionBits(t.formatUpdates, t.formatWordBits, metadataStorageWidth),
  };
}

function actionBits(
  b: FineGrainedTensorCounts['formatReads'],
  wordBits: { metadata: number; payload: number }[],
  metadataStorageWidth: number,
): ActionBits {
  return metadataStorageWidth === 0
    ? { random: 0, gated: 0, skipped: 0 }
    : { random: bitsOf(b.random, wordBits), gated: bitsOf(b.gated, wordBits), skipped: bitsOf(b.skipped, wordBits) };
}
