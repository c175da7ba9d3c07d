/**
 * Per-rank metadata/payload occupancy of one tensor tile (docs/sparse.md §2.2), given that
 * the data tile holds exactly k non-zeros, and its expectation over the occupancy distribution.
 */
import type { DensityModel, Tile } from '../density/model.ts';
import { occupancyOutcomes } from '../density/model.ts';
import type { RankFormatName } from '../../input/types.ts';

export interface RankUnits {
  metadata: number;
  payload: number;
}

/** What the occupancy walk needs to know about a tensor's format at a level. */
export interface FormatLayout {
  /** Index = rank id (0 innermost). */
  formats: RankFormatName[];
  /** Index = rank id: number of elements (coordinates) in one fiber of the rank. */
  fiberShapes: number[];
  /** Length = ranks + 1: [r] = words one element of rank r's fiber spans; [r+1] = one fiber's words. */
  subtileSizes: number[];
  /** Ranks were filled inner-to-outer: then rank 0, not the top rank, keeps a one-element fiber. */
  innerToOuter?: boolean;
}

interface RankQuery {
  maxFibers: number;
  fiberShape: number;
  current: Tile;
  next: Tile;
  density: DensityModel;
}

function rankUnits(format: RankFormatName, q: RankQuery): RankUnits {
  if (format === 'UB') {
    const units = q.maxFibers * q.fiberShape;
    return { metadata: units, payload: units };
  }
  const fibers = q.maxFibers * (1 - q.density.probability(q.current, 0));
  if (format === 'UOP') return { metadata: 0, payload: fibers * (q.fiberShape + 1) };
  const nonEmptyShare = 1 - q.density.probability(q.next, 0);
  switch (format) {
    case 'RLE': {
      const units = q.fiberShape * nonEmptyShare * fibers;
      return { metadata: units, payload: units };
    }
    case 'CP': {
      const units = Math.ceil(q.fiberShape * nonEmptyShare) * fibers;
      return { metadata: units, payload: units };
    }
    case 'B':
      return { metadata: fibers * q.fiberShape, payload: fibers * Math.ceil(q.fiberShape * nonEmptyShare) };
  }
}

/**
 * A rank over a single coordinate is structurally empty (no metadata, no payload), except the
 * rank the assignment starts from: the top rank (outer-to-inner) or rank 0 (inner-to-outer).
 */
function keptTrivialRank(layout: FormatLayout): number {
  return layout.innerToOuter ? 0 : layout.formats.length - 1;
}

/** Occupancy per rank (index = rank id) of a tile of `tileSize` words holding exactly k non-zeros. */
function rankOccupancyGivenK(layout: FormatLayout, density: DensityModel, tileSize: number, k: number): RankUnits[] {
  const constraint = { size: tileSize, occupancy: k };
  const top = layout.formats.length - 1;
  const kept = keptTrivialRank(layout);
  const out: RankUnits[] = new Array(layout.formats.length);
  let maxFibers = 1;
  let current: Tile = { size: tileSize, constraint };
  for (let r = top; r >= 0; r--) {
    const fiberShape = layout.fiberShapes[r];
    const next: Tile = { size: layout.subtileSizes[r], constraint };
    out[r] =
      fiberShape === 1 && r !== kept
        ? { metadata: 0, payload: 0 }
        : rankUnits(layout.formats[r], { maxFibers, fiberShape, current, next, density });
    maxFibers *= fiberShape;
    current = next;
  }
  // The innermost non-empty rank's payload is the data itself, not metadata.
  const innermost = out.findIndex((u) => u.metadata !== 0 || u.payload !== 0);
  if (innermost >= 0) out[innermost] = { metadata: out[innermost].metadata, payload: 0 };
  return out;
}

export interface TensorOccupancy {
  /** Σ P(k)·k in increasing k. */
  expectedData: number;
  /** Σ P(k)·units(k) per rank, same order. */
  expectedRanks: RankUnits[];
  /** Per rank: structurally empty (fiber shape 1 below the top rank); such ranks carry no word bits. */
  emptyRanks: boolean[];
  /** Share of instances holding a non-empty tile (1 unless empty tiles are never sent, see below). */
  nonEmptyShare: number;
}

/**
 * Expected data and per-rank format occupancy of a tile (one pass over the occupancy outcomes).
 * When the parent level has a format and the tile may be empty, empty tiles are never transferred:
 * the outcomes are renormalized without the empty case and the utilized instances scale by
 * P(non-empty) (the reference takes the first non-zero outcome as "the empty case").
 */
export function expectedTensorOccupancy(
  layout: FormatLayout | null,
  density: DensityModel,
  tileSize: number,
  parentHasMetadata = false,
): TensorOccupancy {
  let outcomes = occupancyOutcomes(density, tileSize);
  let nonEmptyShare = 1;
  if (parentHasMetadata && outcomes.length > 0 && density.minOccupancy(tileSize) === 0) {
    nonEmptyShare = 1 - outcomes[0].p;
    outcomes = outcomes.map((o, i) => ({ k: o.k, p: i === 0 ? 0 : o.p / nonEmptyShare }));
  }
  let expectedData = 0;
  let expectedRanks: RankUnits[] = [];
  let first = true;
  for (const { k, p } of outcomes) {
    expectedData += p * k;
    if (!layout) continue;
    const units = rankOccupancyGivenK(layout, density, tileSize, k);
    if (first) expectedRanks = units.map((u) => ({ metadata: u.metadata * p, payload: u.payload * p }));
    else {
      // Accumulate in place: one pass per outcome, no new array (hypergeometric tiles have many outcomes).
      for (let r = 0; r < units.length; r++) {
        expectedRanks[r].metadata += units[r].metadata * p;
        expectedRanks[r].payload += units[r].payload * p;
      }
    }
    first = false;
  }
  const kept = layout ? keptTrivialRank(layout) : -1;
  const emptyRanks = layout ? layout.fiberShapes.map((f, r) => f === 1 && r !== kept) : [];
  return { expectedData, expectedRanks, emptyRanks, nonEmptyShare };
}

/** Format capacity per rank: units at the max occupancy for the confidence, ceiled per field. */
export function formatCapacity(layout: FormatLayout, density: DensityModel, tileSize: number, confidence = 1): RankUnits[] {
  const kMax = density.maxOccupancy(tileSize, confidence);
  return rankOccupancyGivenK(layout, density, tileSize, kMax).map((u) => ({
    metadata: Math.ceil(u.metadata),
    payload: Math.ceil(u.payload),
  }));
}
