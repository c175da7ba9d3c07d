/**
 * Applying storage gating/skipping to the fine-grained counts and propagating it to inner levels
 * and to the computes (docs/sparse.md §4.2, §4.3).
 */
import type { RankUnits } from '../../analysis/types.ts';

export type SafKind = 'gated' | 'skipped';

export interface FormatBreakdown {
  random: RankUnits[];
  gated: RankUnits[];
  skipped: RankUnits[];
}

/** Mutable working record of one tensor at one level during the sparse pass. */
export interface WorkingCounts {
  readWrite: boolean;
  /** Algorithmic updates (the denominator of the temporal-reduction rescaling). */
  algorithmicUpdates: number;
  tileSize: number;
  reads: Record<'random' | SafKind, number>;
  fills: Record<'random' | SafKind, number>;
  updates: Record<'random' | SafKind, number>;
  formatReads: FormatBreakdown;
  formatFills: FormatBreakdown;
  formatUpdates: FormatBreakdown;
  temporalReductions: number;
  hasMetadata: boolean;
}

const cloneRanks = (ranks: RankUnits[]) => ranks.map((r) => ({ metadata: r.metadata, payload: r.payload }));

/**
 * Gate/skip a fraction p of T's reads and updates at its own level: ⌈R·p⌉ reads for read-write
 * tensors (read-modify-write), ⌊R·p⌋ otherwise; ⌊·p⌋ of updates and of the format accesses of the
 * first `formatRanks` ranks. Fills are not affected.
 */
export function applyLocalSaf(w: WorkingCounts, p: number, kind: SafKind, formatRanks: number): void {
  const gatedReads = w.readWrite ? Math.ceil(w.reads.random * p) : Math.floor(w.reads.random * p);
  w.reads[kind] += gatedReads;
  w.reads.random -= gatedReads;
  const gatedUpdates = Math.floor(w.updates.random * p);
  w.updates[kind] += gatedUpdates;
  w.updates.random -= gatedUpdates;
  const ranks = Math.min(formatRanks, w.formatReads.random.length);
  for (let r = 0; r < ranks; r++) {
    for (const field of ['metadata', 'payload'] as const) {
      const dr = Math.floor(w.formatReads.random[r][field] * p);
      w.formatReads.random[r][field] -= dr;
      w.formatReads[kind][r][field] += dr;
      const du = Math.floor(w.formatUpdates.random[r][field] * p);
      w.formatUpdates.random[r][field] -= du;
      w.formatUpdates[kind][r][field] += du;
    }
  }
  if (w.tileSize !== 0 && w.readWrite) w.temporalReductions = Math.ceil((w.temporalReductions * w.updates.random) / w.algorithmicUpdates);
}

/** The counts a SAF at an outer level leaves to an inner level (fills, reads, updates, formats). */
export interface PendingCounts {
  fills: number;
  reads: number;
  updates: number;
  formatFills: RankUnits[];
  formatReads: RankUnits[];
  formatUpdates: RankUnits[];
}

export function pendingFrom(w: WorkingCounts): PendingCounts {
  return {
    fills: w.fills.random,
    reads: w.reads.random,
    updates: w.updates.random,
    formatFills: cloneRanks(w.formatFills.random),
    formatReads: cloneRanks(w.formatReads.random),
    formatUpdates: cloneRanks(w.formatUpdates.random),
  };
}

/**
 * An outer SAF with probability p removes ⌊x·p⌋ of each count of an inner level. Format counts:
 * the reference scales only rank 0 of the fills and reads, and only when the SAF level's format
 * has exactly one rank (its rank-range loop runs from min(inner ranks, outer ranks − 1) down to 0
 * counting upward); format updates are never scaled. Reproduced as observed.
 */
export function reduceByOuterSaf(c: PendingCounts, p: number, innerHasMetadata: boolean, outerFormatRanks: number): void {
  c.fills -= Math.floor(c.fills * p);
  c.reads -= Math.floor(c.reads * p);
  c.updates -= Math.floor(c.updates * p);
  if (!innerHasMetadata) return;
  for (const ranks of [c.formatFills, c.formatReads]) {
    const lower = outerFormatRanks === 0 ? ranks.length : Math.min(ranks.length, outerFormatRanks - 1);
    if (ranks.length > 0 && lower === 0) {
      ranks[0].metadata -= Math.floor(ranks[0].metadata * p);
      ranks[0].payload -= Math.floor(ranks[0].payload * p);
    }
  }
}

/** Install pending counts as the random counts of a working record. */
export function installPending(w: WorkingCounts, c: PendingCounts, formatReadsFrom: 'reads' | 'updates' = 'reads'): void {
  w.fills.random = c.fills;
  w.reads.random = c.reads;
  w.updates.random = c.updates;
  w.formatFills.random = cloneRanks(c.formatFills);
  // Where an inner level has its own SAF the reference installs the format *updates* as its format
  // reads before gating them (a quirk reproduced as observed).
  w.formatReads.random = cloneRanks(formatReadsFrom === 'reads' ? c.formatReads : c.formatUpdates);
  w.formatUpdates.random = cloneRanks(c.formatUpdates);
}
