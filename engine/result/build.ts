/**
 * Assembling the Result from the level models, in the stats layout the input selects:
 * Sparseloop's ('sparseloop', every field) or the older dense one ('timeloop-dense': only the
 * fields that layout prints).
 */

import { compatBehaviours, type CompatBehaviours } from '../compat-modes.ts';
import type { Spec } from '../input/types.ts';
import type { DenseCounts, FineGrainedTensorCounts, RankUnits } from '../analysis/types.ts';
import type { ArithmeticModel } from '../model/arithmetic.ts';
import type { StorageModel, TensorModel } from '../model/storage.ts';
import { STORAGE_ACTION_INDEX } from '../model/energy-table.ts';
import type { ActionBits } from '../model/format-bits.ts';
import {
  RESULT_SCHEMA,
  RESULT_SCHEMA_VERSION,
  type ActionCounts,
  type CompatMode,
  type FormatCounts,
  type Loop,
  type Network,
  type OperationalIntensity,
  type RankPair,
  type Result,
  type StatsFormat,
  type StorageLevel,
  type Summary,
  type TensorStats,
} from './schema.ts';

export interface BuildInputs {
  spec: Spec;
  dense: DenseCounts;
  arithmetic: ArithmeticModel;
  storage: StorageModel[];
  networks: Record<string, Network>;
  operationalIntensity: OperationalIntensity;
  summary: Summary;
  compat: CompatMode;
}

/** Ranks printed outermost first: rank N-1 … rank 0. */
function rankPairs(units: RankUnits[]): RankPair[] {
  return units.map((u, r) => ({ rank: r, metadata: u.metadata, payload: u.payload })).reverse();
}

/** Rank pairs of a format action, or none when the action moves no format bits (the stats print `: 0`). */
function listedRanks(u: RankUnits[], bits: number): RankPair[] {
  return bits !== 0 ? rankPairs(u) : [];
}

function formatCounts(f: FineGrainedTensorCounts['formatReads'], bits: ActionBits): FormatCounts {
  return { actual: listedRanks(f.random, bits.random), gated: listedRanks(f.gated, bits.gated), skipped: listedRanks(f.skipped, bits.skipped) };
}

function actionCounts(sparse: boolean, alg: number, b: { random: number; gated: number; skipped: number }): ActionCounts {
  return sparse ? { algorithmic: alg, actual: b.random, gated: b.gated, skipped: b.skipped } : { actual: b.random };
}

/** Percent of words that are data, and that are format. */
function breakdown(formatRatio: number): [number, number] {
  return [100 * (1 - formatRatio), 100 * formatRatio];
}

function tensorStats(t: TensorModel, sparse: boolean, behaviours: CompatBehaviours): TensorStats {
  const f = t.fine;
  // Sparse layout totals scale by the x·y expansion, the dense layout by the utilized instances.
  const scale = sparse ? t.expansion : t.utilizedInstancesAverage;
  const stats: TensorStats = {
    partitionSize: t.partitionSize,
    maxUtilizedDataStorageCapacity: f.maxDataOccupancy,
    utilizedInstancesMax: sparse ? t.utilizedInstancesMax : Math.trunc(t.utilizedInstancesAverage),
    utilizedClustersMax: t.utilizedClusters,
    reads: actionCounts(sparse, f.algorithmic.reads, f.reads),
    fills: actionCounts(sparse, f.algorithmic.fills, f.fills),
    updates: actionCounts(sparse, f.algorithmic.updates, f.updates),
    temporalReductions: f.temporalReductions,
    addressGenerations: t.addressGenerations,
    energyPerScalarAccess: t.energyPerScalarAccess,
    energyPerInstance: t.energyPerInstance,
    energyTotal: t.energyTotal,
    temporalReductionEnergyPerInstance: 0,
    temporalReductionEnergyTotal: 0,
    addressGenerationEnergyPerCluster: 0,
    addressGenerationEnergyTotal: 0,
    bandwidth: {
      sharedPerInstance: t.sharedBandwidth,
      sharedTotal: t.sharedBandwidth * scale,
      readPerInstance: t.readBandwidth,
      readTotal: t.readBandwidth * scale,
      writePerInstance: t.writeBandwidth,
      writeTotal: t.writeBandwidth * scale,
    },
  };
  if (sparse) {
    stats.tileDensityDistribution = behaviours.underscoreDistributionNames ? f.densityDistribution.replace(/-/g, '_') : f.densityDistribution;
    stats.dataTileShape = t.tileShape;
    stats.representationFormat = f.representationFormat;
    stats.maxUtilizedFormatCapacity = f.formatCapacity.length ? rankPairs(f.formatCapacity) : [];
    stats.utilizedInstancesAverage = t.utilizedInstancesAverage;
    stats.formatReads = formatCounts(f.formatReads, t.formatBits.reads);
    stats.formatFills = formatCounts(f.formatFills, t.formatBits.fills);
    stats.formatUpdates = formatCounts(f.formatUpdates, t.formatBits.updates);
    stats.bandwidth.sharedBreakdown = breakdown(t.formatRatio.shared);
    stats.bandwidth.readBreakdown = breakdown(t.formatRatio.read);
    stats.bandwidth.writeBreakdown = breakdown(t.formatRatio.write);
  }
  return stats;
}

function loopNest(dense: DenseCounts, s: number): Loop[] {
  return dense.levels[s].loops
    .slice()
    .reverse()
    .map((l) => {
      const loop: Loop = { dimension: l.dimension, start: l.start, end: l.end };
      if (l.kind === 'spatial-x') loop.spatial = 'X';
      else if (l.kind === 'spatial-y') loop.spatial = 'Y';
      return loop;
    });
}

export function buildResult(inp: BuildInputs): Result {
  const { spec, dense, arithmetic } = inp;
  const sparse = spec.sparseOptimizations !== null;
  const behaviours = compatBehaviours(inp.compat);
  const statsFormat: StatsFormat = sparse ? 'sparseloop' : 'timeloop-dense';
  const a = spec.architecture.arithmetic;
  const storage: Record<string, StorageLevel> = {};
  inp.storage.forEach((m, s) => {
    const ls = m.spec;
    const tensors: Record<string, TensorStats> = {};
    for (const t of m.tensors) {
      tensors[t.dataSpace] = tensorStats(t, sparse, behaviours);
    }
    const specs: StorageLevel['specs'] = {
      technology: ls.technology,
      dataStorageSize: ls.size,
      dataWordBits: ls.wordBits,
      dataBlockSize: ls.blockSize,
      clusterSize: ls.clusterSize,
      instances: ls.instances,
      meshX: ls.meshX,
      meshY: ls.meshY,
      sharedBandwidth: ls.sharedBandwidth,
      readBandwidth: ls.readBandwidth,
      writeBandwidth: ls.writeBandwidth,
      multipleBuffering: ls.multipleBuffering,
      effectiveDataStorageSize: m.effectiveSize,
      minUtilization: ls.minUtilization,
      area: spec.art.components[ls.name]?.area ?? 0,
    };
    if (sparse) {
      specs.metadataStorageWidth = ls.metadataStorageWidth;
      specs.metadataStorageDepth = ls.metadataStorageDepth;
      const energy = m.actionEnergy;
      specs.vectorReadEnergy = energy[STORAGE_ACTION_INDEX.random_read];
      specs.vectorWriteEnergy = energy[STORAGE_ACTION_INDEX.random_fill];
      specs.vectorMetadataReadEnergy = energy[STORAGE_ACTION_INDEX.random_metadata_read];
      specs.vectorMetadataWriteEnergy = energy[STORAGE_ACTION_INDEX.random_metadata_fill];
      specs.decompressionEnergy = energy[STORAGE_ACTION_INDEX.decompression_count];
    } else {
      specs.vectorAccessEnergy = m.vectorAccessEnergy;
    }
    storage[ls.name] = {
      name: ls.name,
      level: s + 1,
      specs,
      loopNest: loopNest(dense, s),
      stats: { cycles: m.cycles, bandwidthThrottling: m.slowdown },
      tensors,
    };
  });
  const c = arithmetic.counts;
  const stats: Result['arithmetic']['stats'] = {
    utilizedInstancesMax: arithmetic.utilizedInstancesMax,
    cycles: arithmetic.cycles,
    actualComputes: c.random,
    energy: arithmetic.energy,
    area: arithmetic.area,
  };
  const warnings = [...(inp.spec.warnings ?? []), ...arithmetic.warnings, ...inp.storage.flatMap((m) => m.warnings)];
  if (sparse) {
    stats.utilizedInstancesAverage = arithmetic.utilizedInstancesAverage;
    stats.algorithmicComputes = c.algorithmic;
    stats.gatedComputes = c.gated;
    stats.skippedComputes = c.skipped;
  }
  const meta: Result['meta'] = { producer: 'sparsegauge', statsFormat, compat: inp.compat };
  if (warnings.length) meta.warnings = warnings;
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_SCHEMA_VERSION,
    meta,
    arithmetic: {
      name: a.name,
      level: 0,
      specs: {
        wordBits: a.wordBits,
        instances: a.instances,
        meshX: a.meshX,
        meshY: a.meshY,
        computeEnergy: arithmetic.computeEnergy,
      },
      stats,
    },
    storage,
    networks: inp.networks,
    operationalIntensity: inp.operationalIntensity,
    summary: inp.summary,
  };
}
