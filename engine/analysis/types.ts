/**
 * Records that flow from the nest analysis (dense, density-independent) through the sparse analysis
 * to the level models. Plain data only; every count is per instance of the level unless a name
 * says otherwise. Storage levels are indexed innermost first, as in `Spec.architecture.storage`.
 *
 * Contract between engine/analysis (produces DenseCounts), engine/sparse (DenseCounts ->
 * FineGrainedCounts) and engine/model (consumes FineGrainedCounts).
 */

// ---------------------------------------------------------------- the loop nest

export type LoopKind = 'temporal' | 'spatial-x' | 'spatial-y';

export interface NestLoop {
  dimension: string;
  /** Loops always start at 0 (perfect factorization is required for now). */
  start: number;
  end: number;
  kind: LoopKind;
  /** Index of the storage level whose mapping owns this loop (innermost level = 0). */
  level: number;
}

/** Extent per problem dimension of an axis-aligned operation-space box starting at 0. */
export type DimensionBox = Record<string, number>;

/** One (multicast, scatter) class of a spatial transfer: `accesses` words, each sent to `multicast` children. */
export interface AccessClass {
  multicast: number;
  scatter: number;
  /** double: rescaled by bypass masking, rounded only in reads/fills/updates */
  accesses: number;
  /**
   * Compat behaviour `preciseMulticastHops` only: Σ mesh hops · accesses of the class's groups
   * (not rescaled by masking, as in Timeloop v3).
   */
  hops?: number;
}

// ---------------------------------------------------------------- dense per level and tensor

export interface DenseTensorCounts {
  dataSpace: string;
  readWrite: boolean;
  /** The level keeps this tensor (not bypassed). Bypassed tensors have zeroed counts below. */
  kept: boolean;
  /** Working-set size before masking (bypassed levels keep their tile for partition sizes). */
  tileSizeUnmasked: number;
  /** Working-set size at this level (0 when bypassed): `Data tile shape` / `Utilized capacity`. */
  tileSize: number;
  /** Operation-space box whose projection is the tile (the level's loops and everything inside). */
  tileBox: DimensionBox;
  partitionSize: number;
  /** Words delivered into one instance of this level per run (double, before truncation). */
  parentShare: number;
  /** Σ accesses of the (masked, rescaled) access matrix: words this level sends to its children. */
  contentAccesses: number;
  /** Access matrix after masking: how this level's content accesses fan out to its children. */
  accessMatrix: AccessClass[];
  /** Access matrix before masking (what the network below this level reports for bypassed tensors). */
  accessMatrixUnmasked: AccessClass[];
  /** Algorithmic counts per instance (integers, rounded as docs/nest-analysis.md §6). */
  reads: number;
  fills: number;
  updates: number;
  temporalReductions: number;
  linkTransfers: number;
  peerAccesses: number;
  peerFills: number;
  /** Index of the next outer / inner level that keeps this tensor; null = none (backing store / compute). */
  parentLevel: number | null;
  childLevel: number | null;
}

export interface DenseLevelCounts {
  name: string;
  /** Index in the storage list, innermost = 0. */
  index: number;
  /** Loops of this level's mapping with end > 1 (what the stats print), innermost first. */
  loops: NestLoop[];
  /** Complete loops of this level (unit loops included, one per dimension per tiling level), innermost first. */
  completeLoops: NestLoop[];
  /** Operation-space box at this level's boundary (all loops of this level and below, unit loops = 1). */
  tileBox: DimensionBox;
  /** Product of this level's spatial loop ends (children per instance), and its X / Y parts. */
  fanout: number;
  fanoutX: number;
  fanoutY: number;
  /** Number of utilized instances of this level: product of all spatial loop ends above it. */
  replication: number;
  /** Product of the X (resp. Y) spatial loop ends above this level. */
  maxXExpansion: number;
  maxYExpansion: number;
  /** Per data space, in problem order. */
  tensors: Record<string, DenseTensorCounts>;
}

export interface DenseComputeCounts {
  /** MAC operations per utilized arithmetic instance (= iterations of all loops / instances). */
  computesPerInstance: number;
  /** All MAC operations: the product of every loop end. */
  algorithmicComputes: number;
  /** Product of all spatial loop ends (the arithmetic level's replication). */
  utilizedInstances: number;
  maxXExpansion: number;
  maxYExpansion: number;
}

export interface DenseCounts {
  /** Storage levels, innermost first. */
  levels: DenseLevelCounts[];
  compute: DenseComputeCounts;
  /** The analysed nest (end > 1 loops plus one placeholder per empty temporal tiling level), innermost first. */
  nest: NestLoop[];
  /** The complete nest (every tiling level's loop for every dimension, unit loops kept), innermost first. */
  completeNest: NestLoop[];
}

// ---------------------------------------------------------------- fine-grained (after the sparse pass)

/** Per-rank (metadata, payload) units; index 0 = rank 0 (innermost rank). */
export interface RankUnits {
  metadata: number;
  payload: number;
}

export interface ActionBreakdown {
  random: number;
  gated: number;
  skipped: number;
}

export interface FormatActionBreakdown {
  /** Per rank, rank 0 first; [] when the tensor has no format at this level. */
  random: RankUnits[];
  gated: RankUnits[];
  skipped: RankUnits[];
}

export interface FineGrainedTensorCounts {
  dataSpace: string;
  /** Dense algorithmic counts (copied from DenseTensorCounts). */
  algorithmic: { reads: number; fills: number; updates: number };
  reads: ActionBreakdown;
  fills: ActionBreakdown;
  updates: ActionBreakdown;
  formatReads: FormatActionBreakdown;
  formatFills: FormatActionBreakdown;
  formatUpdates: FormatActionBreakdown;
  /** Temporal reductions after gating/skipping (read-write tensors). */
  temporalReductions: number;
  compressionCount: number;
  decompressionCount: number;
  /** Expected number of non-zeros in the tile (double). */
  expectedDataOccupancy: number;
  /** `Max utilized data storage capacity` (the tile size when uncompressed). */
  maxDataOccupancy: number;
  /** Expected tile density ρ = expected occupancy / tile size (1 when dense). */
  expectedDensity: number;
  /** `Max utilized Repr format storage capacity` per rank, rank 0 first; [] when no format. */
  formatCapacity: RankUnits[];
  /** Per-rank metadata / payload word bits, rank 0 first (for bandwidth and vector accesses). */
  formatWordBits: { metadata: number; payload: number }[];
  /** e.g. `fixed-structured`. */
  densityDistribution: string;
  /** Per-rank format names as printed, lowercased, outermost first; [] for none. */
  representationFormat: string[];
  compressed: boolean;
  hasMetadata: boolean;
  /** Average utilized instances (double); equals replication when dense. */
  averageInstances: number;
  /** Vector-access ratio for compressed tensors with block > 1 (docs/sparse.md §3.3); 1 when dense. */
  vectorAccessRatio: number;
  /** Confidence with which the tile fits (1 here). */
  tileConfidence: number;
}

export interface FineGrainedLevelCounts {
  name: string;
  index: number;
  /** Only the tensors this level keeps, in problem order. */
  tensors: Record<string, FineGrainedTensorCounts>;
}

export interface FineGrainedComputeCounts {
  algorithmic: number;
  random: number;
  gated: number;
  skipped: number;
  /** Average utilized arithmetic instances (double; the public build prints it as an integer). */
  averageInstances: number;
}

export interface FineGrainedCounts {
  dense: DenseCounts;
  levels: FineGrainedLevelCounts[];
  compute: FineGrainedComputeCounts;
}
