/**
 * The sparsegauge result schema (version 1).
 *
 * One schema serves three producers and one consumer: the stats importer (reference data), the
 * engine (our model) and `diff` (field-by-field comparison). Field names follow the vocabulary of
 * Timeloop/Sparseloop's `timeloop-model.stats.txt` so a person can find a number in both.
 *
 * Units are those of the stats file: energies in pJ (network per-hop energy in fJ, summary energy in
 * uJ), areas in um^2 (summary area in mm^2), bandwidths in words/cycle.
 *
 * A field is optional when one of the two stats layouts does not print it (the older dense layout
 * prints fewer fields). `diff` compares the fields present in the expected file; a field the
 * expected file has and the actual file lacks is a discrepancy.
 *
 * Collections are objects keyed by name in stats order (insertion order), so diff paths read like
 * `storage.DRAM.tensors.Inputs.reads.actual`.
 */

export const RESULT_SCHEMA = 'sparsegauge-result';
export const RESULT_SCHEMA_VERSION = 1;

/** Which stats layout the numbers correspond to: Sparseloop's (input has `sparse_optimizations`) or the older dense one. */
export type StatsFormat = 'sparseloop' | 'timeloop-dense';

/** Compat mode: which Timeloop build's behaviours the numbers follow (engine/compat-modes.ts, docs/compat-modes.md). */
export type { CompatMode } from '../compat-modes.ts';
import type { CompatMode } from '../compat-modes.ts';

export interface Result {
  schema: typeof RESULT_SCHEMA;
  version: typeof RESULT_SCHEMA_VERSION;
  meta: ResultMeta;
  arithmetic: ArithmeticLevel;
  /** Storage levels, innermost first (stats `Level 1` .. `Level N`), keyed by level name. */
  storage: Record<string, StorageLevel>;
  /** Networks keyed by `"<outer> <==> <inner>"`, sorted by name as the stats file prints them. */
  networks: Record<string, Network>;
  /** Absent from the 2019-2021 layouts. */
  operationalIntensity?: OperationalIntensity;
  summary: Summary;
}

export interface ResultMeta {
  /** Who produced the numbers. */
  producer: 'sparseloop-stats' | 'sparsegauge';
  statsFormat: StatsFormat;
  /** Imported from the Timeloop v3 layout (2023-2025 builds; docs/stats-layouts.md); absent for the 2022 layouts and the engine. */
  statsRevision?: 'timeloop-v3';
  /** Rounding mode that produced the numbers (golden cases record the mode their reference build used). */
  compat: CompatMode;
  /**
   * Importer only: the printed layout the numbers were read from (a Timeloop build's stats layout,
   * e.g. `timeloop-2020`, `sparseloop-2021`, `micro22-artifact`), when it is not the one public
   * Timeloop @ 0424956 prints for `statsFormat`. Informational; never compared.
   */
  statsLayout?: string;
  /** Files the numbers came from, relative paths where possible (informational; never compared). */
  sources?: string[];
  /**
   * Engine only, absent when empty: inputs evaluated by a documented default rather than refused,
   * one sentence each naming the component, the action and the energy used (an ERT lacking a
   * non-data action the counts need is charged 0 pJ, as Timeloop does). Never compared.
   */
  warnings?: string[];
}

export interface ArithmeticLevel {
  name: string;
  /** Index printed as `Level N` (0 for the arithmetic level). */
  level: number;
  specs: {
    wordBits: number;
    instances: number;
    meshX: number;
    meshY: number;
    /** `Compute energy` (pJ per random compute). */
    computeEnergy: number;
  };
  stats: {
    /** Sparse layout `Utilized instances (max)`, dense layout `Utilized instances`. */
    utilizedInstancesMax: number;
    /** Sparse layout only. */
    utilizedInstancesAverage?: number;
    cycles: number;
    /** Sparse layout only. */
    algorithmicComputes?: number;
    /** Sparse `Actual Computes (total)`; dense `Computes (total)` (absent from the 2019-2020 layout). */
    actualComputes?: number;
    gatedComputes?: number;
    skippedComputes?: number;
    /** pJ */
    energy: number;
    /** um^2 */
    area: number;
  };
}

export interface StorageSpecs {
  technology: string;
  /** `Data storage size` (dense: `Size`); null when printed `-` (unbounded). */
  dataStorageSize: number | null;
  /** `Data word bits` (dense: `Word bits`). */
  dataWordBits: number;
  /** `Data block size` (dense: `Block size`). */
  dataBlockSize: number;
  /** Sparse layout only. */
  metadataStorageWidth?: number;
  /** Sparse layout only; null when printed `-`. */
  metadataStorageDepth?: number | null;
  clusterSize: number;
  instances: number;
  meshX: number;
  meshY: number;
  /** null when printed `-`; absent from the 2019-2021 layouts. */
  sharedBandwidth?: number | null;
  readBandwidth: number | null;
  writeBandwidth: number | null;
  multipleBuffering: number;
  /** `Effective data storage size` (dense: `Effective size`); null when `-`. */
  effectiveDataStorageSize: number | null;
  minUtilization: number;
  /** Sparse layout: per-action energies (pJ). */
  vectorReadEnergy?: number;
  vectorWriteEnergy?: number;
  vectorMetadataReadEnergy?: number;
  vectorMetadataWriteEnergy?: number;
  decompressionEnergy?: number;
  /** Dense layout: `Vector access energy` (max over the component's ERT actions). */
  vectorAccessEnergy?: number;
  /** um^2 per instance */
  area: number;
}

export interface Loop {
  dimension: string;
  start: number;
  end: number;
  /** Absent for temporal loops. */
  spatial?: 'X' | 'Y';
}

export interface StorageLevel {
  name: string;
  level: number;
  specs: StorageSpecs;
  /** Loops of this level as `MAPPING / Loop nest` prints them, outermost first; absent when imported from the Timeloop v3 layout, which does not print them. */
  loopNest?: Loop[];
  stats: {
    cycles: number;
    bandwidthThrottling: number;
  };
  /** Per data space this level keeps, in problem order. Levels that keep nothing have none. */
  tensors: Record<string, TensorStats>;
}

/** Algorithmic / actual / gated / skipped counts of one action, per instance. */
export interface ActionCounts {
  /** Sparse layout only. */
  algorithmic?: number;
  /** Sparse `Actual scalar X`; dense `Scalar X`. */
  actual: number;
  /** Sparse layout only. */
  gated?: number;
  skipped?: number;
}

/** Per-rank (metadata, payload) pair; ranks listed as printed, outermost (highest) rank first. */
export interface RankPair {
  rank: number;
  metadata: number;
  payload: number;
}

export interface FormatCounts {
  /** Empty when the stats file prints a plain `0` (no format at this level). */
  actual: RankPair[];
  gated: RankPair[];
  skipped: RankPair[];
}

export interface BandwidthStats {
  /** words/cycle; shared bandwidths are absent from the 2019-2021 layouts. */
  sharedPerInstance?: number;
  sharedTotal?: number;
  readPerInstance: number;
  readTotal: number;
  writePerInstance: number;
  writeTotal: number;
  /** Sparse layout only: `Breakdown (Data, Format)` in percent. */
  sharedBreakdown?: [number, number];
  readBreakdown?: [number, number];
  writeBreakdown?: [number, number];
}

export interface TensorStats {
  partitionSize: number;
  /** Sparse layout only, e.g. `fixed-structured`. */
  tileDensityDistribution?: string;
  /** Sparse layout only. */
  dataTileShape?: number;
  /** Sparse `Max utilized data storage capacity`; dense `Utilized capacity`. */
  maxUtilizedDataStorageCapacity: number;
  /** Sparse layout only: per-rank format names lowercased, outermost first; [] for `none`. */
  representationFormat?: string[];
  /** Sparse layout only. [] when printed `0`. */
  maxUtilizedFormatCapacity?: RankPair[];
  utilizedInstancesMax: number;
  /** Sparse layout only. */
  utilizedInstancesAverage?: number;
  utilizedClustersMax: number;
  reads: ActionCounts;
  fills: ActionCounts;
  updates: ActionCounts;
  /** Sparse layout only. */
  formatReads?: FormatCounts;
  formatFills?: FormatCounts;
  formatUpdates?: FormatCounts;
  temporalReductions: number;
  /** per cluster */
  addressGenerations: number;
  /** pJ */
  energyPerScalarAccess: number;
  energyPerInstance: number;
  energyTotal: number;
  temporalReductionEnergyPerInstance: number;
  temporalReductionEnergyTotal: number;
  addressGenerationEnergyPerCluster: number;
  addressGenerationEnergyTotal: number;
  bandwidth: BandwidthStats;
}

export interface Network {
  name: string;
  specs: {
    type: string;
    legacySubtype: string;
    connectionType: number;
    wordBits: number;
    /** pJ; null when printed `-`. */
    routerEnergy: number | null;
    /** pJ/b/mm; null when printed `-`. */
    wireEnergy: number | null;
  };
  tensors: Record<string, NetworkTensorStats>;
}

export interface MulticastEntry {
  multicast: number;
  /** Absent from the 2019-2020 layout (`@multicast m: n`). */
  scatter?: number;
  accesses: number;
}

export interface NetworkTensorStats {
  fanout: number;
  /** Not printed by the Timeloop v3 layout (docs/stats-layouts.md). */
  fanoutDistributed?: number;
  multicastFactor: number;
  ingresses: number;
  /** `@multicast m @scatter s: accesses` lines in printed order. */
  ingressHistogram: MulticastEntry[];
  linkTransfers: number;
  spatialReductions: number;
  averageHops: number;
  /** fJ */
  energyPerHop: number;
  /** pJ */
  energyPerInstance: number;
  energyTotal: number;
  linkTransferEnergyPerInstance: number;
  linkTransferEnergyTotal: number;
  spatialReductionEnergyPerInstance: number;
  spatialReductionEnergyTotal: number;
}

export interface OperationalIntensity {
  totalElementwiseOps: number;
  /** Negative when skipped computes fall below the output size (the stats print it wrapped modulo 2^64). */
  totalReductionOps: number;
  /** Negative like totalReductionOps when the sum is. */
  totalOps: number;
  totalMemoryAccessesRequired: number;
  optimalOpPerByte: number;
  /** Per storage level in printed order; levels that print nothing (DummyBuffer) map to {}. */
  levels: Record<string, { totalScalarAccesses?: number; opPerByte?: number }>;
}

export interface Summary {
  /** Absent from the 2019-2021 layouts, as `edp`. */
  gflops?: number;
  utilization: number;
  cycles: number;
  /** uJ */
  energy: number;
  /** J*cycle */
  edp?: number;
  /** mm^2; absent when imported from the Timeloop v3 layout, which prints 0.00 whatever the area. */
  area?: number;
  /** Sparse layout only (`Algorithmic Computes = N`). */
  algorithmicComputes?: number;
  /** Sparse `Actual Computes = N`; dense `Computes = N`. */
  actualComputes: number;
  /** Sparse layout only: `pJ/Algorithmic-Compute` lines keyed by component name, plus `Total`. */
  pJPerAlgorithmicCompute?: Record<string, number>;
  /** `pJ/Compute` lines keyed by component name, plus `Total`. */
  pJPerCompute: Record<string, number>;
}
