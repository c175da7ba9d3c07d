/**
 * Assembling the Result from the level models, in the stats layout the input selects:
 * Sparseloop's ('sparseloop', every field) or the older dense one ('timeloop-dense': only the
 * fields that layout prints).
 */

import type { Spec } from '../spec/types.ts';
import type { DenseCounts, FineGrainedTensorCounts, RankUnits } from '../analysis/types.ts';
import type { ArithmeticModel } from '../model/arithmetic.ts';
import type { StorageModel, TensorModel } from '../model/storage.ts';
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

function formatCounts(f: FineGrainedTensorCounts['formatReads']): FormatCounts {
  const nonZero = (u: RankUnits[]): RankPair[] => (u.some((x) => x.metadata !== 0 || x.payload !== 0) ? rankPairs(u) : []);
  return { actual: nonZero(f.random), gated: nonZero(f.gated), skipped: nonZero(f.skipped) };
}

function tensorStats(t: TensorModel, sparse: boolean): TensorStats {
  const f = t.fine;
  const counts = (alg: number, b: { random: number; gated: number; skipped: number }): ActionCounts =>
    sparse ? { algorithmic: alg, actual: b.random, gated: b.gated, skipped: b.skipped } : { actual: b.random };
  // Sparse layout totals scale by the x·y expansion, the dense layout by the utilized instances.
  const scale = sparse ? t.expansion : t.utilizedInstancesAverage;
  const stats: TensorStats = {
    partitionSize: t.partitionSize,
    maxUtilizedDataStorageCapacity: f.maxDataOccupancy,
    utilizedInstancesMax: sparse ? t.utilizedInstancesMax : Math.trunc(t.utilizedInstancesAverage),
    utilizedClustersMax: t.utilizedClusters,
    reads: counts(f.algorithmic.reads, f.reads),
    fills: counts(f.algorithmic.fills, f.fills),
    updates: counts(f.algorithmic.updates, f.updates),
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
    stats.tileDensityDistribution = f.densityDistribution;
    stats.dataTileShape = t.tileShape;
    stats.representationFormat = f.representationFormat;
    stats.maxUtilizedFormatCapacity = f.formatCapacity.length ? rankPairs(f.formatCapacity) : [];
    stats.utilizedInstancesAverage = t.utilizedInstancesAverage;
    stats.formatReads = formatCounts(f.formatReads);
    stats.formatFills = formatCounts(f.formatFills);
    stats.formatUpdates = formatCounts(f.formatUpdates);
    const pct = (r: number): [number, number] => [100 * (1 - r), 100 * r];
    stats.bandwidth.sharedBreakdown = pct(t.formatRatio.shared);
    stats.bandwidth.readBreakdown = pct(t.formatRatio.read);
    stats.bandwidth.writeBreakdown = pct(t.formatRatio.write);
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
  const statsFormat: StatsFormat = sparse ? 'sparseloop' : 'timeloop-dense';
  const a = spec.architecture.arithmetic;
  const storage: Record<string, StorageLevel> = {};
  inp.storage.forEach((m, s) => {
    const ls = m.spec;
    const tensors: Record<string, TensorStats> = {};
    for (const t of m.tensors) {
      tensors[t.dataSpace] = tensorStats(t, sparse);
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
      specs.vectorReadEnergy = m.actionEnergy.random_read;
      specs.vectorWriteEnergy = m.actionEnergy.random_fill;
      specs.vectorMetadataReadEnergy = m.actionEnergy.random_metadata_read;
      specs.vectorMetadataWriteEnergy = m.actionEnergy.random_metadata_fill;
      specs.decompressionEnergy = m.actionEnergy.decompression_count;
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
  if (sparse) {
    stats.utilizedInstancesAverage = arithmetic.utilizedInstancesAverage;
    stats.algorithmicComputes = c.algorithmic;
    stats.gatedComputes = c.gated;
    stats.skippedComputes = c.skipped;
  }
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_SCHEMA_VERSION,
    meta: { producer: 'sparsegauge', statsFormat, compat: inp.compat },
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
