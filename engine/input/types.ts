/**
 * The normalized specification: what the spec loader produces from Timeloop v0.3 YAML and what
 * the engine consumes. Everything here is resolved and validated: no templates, no defaults left
 * to guess, factor 0 already replaced by the remaining dimension size. Plain data only.
 */

import type { SourcePosition } from '../errors.ts';

export interface Spec {
  architecture: Architecture;
  problem: Problem;
  mapping: Mapping;
  /** null when the input has no `sparse_optimizations` key (selects the older dense stats layout). */
  sparseOptimizations: SparseOptimizations | null;
  ert: EnergyReferenceTable;
  art: AreaReferenceTable;
  /** Where each top-level section came from, for error messages raised after loading. */
  origin: SpecOrigin;
  /** Keys the model does not read, accepted while loading: one positioned sentence each. */
  warnings?: string[];
}

export interface SpecOrigin {
  /** file each top-level key was read from */
  files: Partial<Record<'architecture' | 'problem' | 'mapping' | 'sparse_optimizations' | 'ERT' | 'ART' | 'compound_components', string>>;
  /** Optional: position of a dotted field path (as used in error `field`) in its file. */
  positions?: Record<string, { file: string; position: SourcePosition }>;
}

// ---------------------------------------------------------------- architecture

export interface Architecture {
  /** Storage levels, innermost first (the order Timeloop numbers them: Level 1 = innermost). */
  storage: StorageLevelSpec[];
  arithmetic: ArithmeticSpec;
  /** `technology` attribute, e.g. `45nm` (informational). */
  technology?: string;
}

export interface ArithmeticSpec {
  name: string;
  /** Total instances (meshX * meshY). */
  instances: number;
  meshX: number;
  meshY: number;
  wordBits: number;
  /** `energy` attribute: replaces the built-in energy of a compute the ERT does not price (pJ). */
  energyOverride?: number;
}

export interface StorageLevelSpec {
  name: string;
  /** Component class (`DRAM`, `smartbuffer`, `storage`, `smartbuffer_metadata` ...). */
  className: string;
  subclass?: string;
  /** `DRAM` or `SRAM`, as printed in the stats `Technology` line. */
  technology: 'DRAM' | 'SRAM';
  instances: number;
  meshX: number;
  meshY: number;
  /** datawidth (bits per word) */
  wordBits: number;
  /** words per vector access */
  blockSize: number;
  clusterSize: number;
  /** words (depth * blockSize); null = unbounded (DRAM) */
  size: number | null;
  readBandwidth: number | null;
  writeBandwidth: number | null;
  sharedBandwidth: number | null;
  multipleBuffering: number;
  minUtilization: number;
  /** metadata_datawidth; 0 when absent */
  metadataWordBits: number;
  /** metadata_storage_width in bits; 0 when absent */
  metadataStorageWidth: number;
  /** metadata_storage_depth; null when absent (printed `-`) */
  metadataStorageDepth: number | null;
  /** decompression_supported: may fill from a parent that holds the tensor compressed while holding it uncompressed */
  decompressionSupported: boolean;
  /** compression_supported: may update such a parent (read-write tensors) */
  compressionSupported: boolean;
  /** address generator width (log2 of depth), informational */
  addrGenBits: number | null;
  /** `vector-access-energy` attribute: replaces the built-in energy of a vector access the ERT does not price (pJ). */
  accessEnergyOverride?: number;
  /** The Legacy network Timeloop infers between this level and its inner neighbour (read from this level's attributes). */
  network: LegacyNetworkSpec;
  /** Attributes as written (after template expansion), for anything not normalized above. */
  attributes: Record<string, unknown>;
}

/** Attributes of an inferred Legacy network (null: not given). */
export interface LegacyNetworkSpec {
  /** `network-type`: '' (not given), '1_1' or '1_N' (printed `Legacy sub-type`). */
  subtype: '' | '1_1' | '1_N';
  /** `network-word-bits`, else the level's word bits. */
  wordBits: number;
  /** `router-energy` (pJ per router touched). */
  routerEnergy: number | null;
  /** `wire-energy` (pJ/b/mm). */
  wireEnergy: number | null;
  /** `tile-width` (um): the hop distance, instead of the floorplan's. */
  tileWidth: number | null;
  /** `energy-per-hop` (pJ): replaces the wire model. */
  energyPerHop: number | null;
}

// ---------------------------------------------------------------- problem

export interface ProjectionTerm {
  dimension: string;
  /** resolved coefficient value (e.g. Wstride = 4) */
  coefficient: number;
}

export interface DataSpace {
  name: string;
  readWrite: boolean;
  /** One entry per rank, outermost first as written; each rank index is Σ coefficient·dimension. */
  projection: ProjectionTerm[][];
}

export type DensitySpec =
  | { distribution: 'fixed-structured'; density: number }
  | { distribution: 'hypergeometric'; density: number }
  | { distribution: string; density: number; [k: string]: unknown };

export interface Problem {
  name: string;
  /** Dimensions in the order the shape lists them. */
  dimensions: string[];
  bounds: Record<string, number>;
  coefficients: Record<string, number>;
  dataSpaces: DataSpace[];
  /** Per data space; a data space without a given density gets fixed-structured 1.0. */
  densities: Record<string, DensitySpec>;
}

// ---------------------------------------------------------------- mapping

export interface LoopSpec {
  dimension: string;
  end: number;
}

/** The mapping of one storage level: its temporal and spatial tiling levels and what it keeps. */
export interface LevelMapping {
  target: string;
  /**
   * Temporal loops, innermost first (permutation order, first letter innermost), one per
   * problem dimension, unit loops included.
   */
  temporal: LoopSpec[];
  /** Spatial loops, innermost first; `x` = loops mapped to Spatial-X (the first `split` ones). */
  spatial: { x: LoopSpec[]; y: LoopSpec[] };
  /** Data-space names kept at this level (the complement is bypassed). */
  keep: string[];
  /**
   * Data spaces that may not move between neighbouring instances of this level's spatial fanout
   * (`no_link_transfer` of the spatial directive): their children all read from this level.
   */
  noLinkTransfer?: string[];
}

export interface Mapping {
  /** Same order as architecture.storage (innermost first); one entry per storage level. */
  levels: LevelMapping[];
}

// ---------------------------------------------------------------- sparse optimizations

export type RankFormatName = 'UOP' | 'RLE' | 'B' | 'CP' | 'UB';

export interface RankFormat {
  format: RankFormatName;
  /** Groups of dimensions this rank may flatten; null when not given. */
  flattenedRankIds: string[][] | null;
  payloadWordBits: number | null;
  metadataWordBits: number | null;
}

export interface RepresentationFormat {
  dataSpace: string;
  /** Outermost first, as written. */
  ranks: RankFormat[];
  /** `rank-application-order`: which end of the loop nest the ranks are filled from (default outer-to-inner). */
  rankApplicationOrder?: 'outer-to-inner' | 'inner-to-outer';
}

export interface ActionOptimizationOption {
  target: string;
  conditionOn: string[];
}

export interface ActionOptimization {
  /** `skipping-spatial`: skip whole spatial instances below the level whose condition tile is empty. */
  type: 'gating' | 'skipping' | 'skipping-spatial';
  options: ActionOptimizationOption[];
}

export interface ComputeOptimization {
  type: 'gating' | 'skipping';
}

export interface SparseTarget {
  /** storage level or arithmetic level name */
  name: string;
  representationFormat: RepresentationFormat[];
  actionOptimization: ActionOptimization[];
  computeOptimization: ComputeOptimization[];
}

export interface SparseOptimizations {
  targets: SparseTarget[];
}

// ---------------------------------------------------------------- energy and area

export interface ErtAction {
  name: string;
  /** Max over argument variants (Timeloop's rule). */
  energy: number;
}

export interface EnergyReferenceTable {
  /** Keyed by level name (last dotted component of the ERT table name, `[a..b]` removed). */
  components: Record<string, { tableName: string; actions: Record<string, number> }>;
  /** `transfer_random` of a table named `wire` / `Wire` (pJ/b/mm): the wire energy of every inferred network; absent when 0 or not given. */
  wireEnergy?: number;
}

export interface AreaReferenceTable {
  /** Area per instance in um^2, keyed by level name. */
  components: Record<string, { tableName: string; area: number }>;
}
