/**
 * Storage level model: from the fine-grained counts of one level to its per-tensor statistics
 * (vector accesses with block size, ERT energies, address generations, bandwidth), its
 * bandwidth throttling and cycles.
 */

import { SparsegaugeError } from '../errors.ts';
import type { Spec, StorageLevelSpec } from '../spec/types.ts';
import type { DenseLevelCounts, FineGrainedTensorCounts, RankUnits } from '../analysis/types.ts';
import { STORAGE_ACTIONS, type StorageAction, requireAction, storageActionEnergies, vectorAccessEnergy } from './energy-table.ts';

export interface TensorModel {
  dataSpace: string;
  fine: FineGrainedTensorCounts;
  partitionSize: number;
  /** Dense tile size (`Data tile shape`). */
  tileShape: number;
  utilizedInstancesMax: number;
  utilizedInstancesAverage: number;
  utilizedClusters: number;
  addressGenerations: number;
  energyPerInstance: number;
  energyTotal: number;
  energyPerScalarAccess: number;
  temporalReductionEnergy: number;
  addressGenerationEnergy: number;
  /** words/cycle per instance after throttling */
  readBandwidth: number;
  writeBandwidth: number;
  sharedBandwidth: number;
  /** fraction of the (read, write, shared) words that are format (metadata) words */
  formatRatio: { read: number; write: number; shared: number };
  /** multiplier from per-instance to total bandwidth: x·y expansion */
  expansion: number;
}

export interface StorageModel {
  spec: StorageLevelSpec;
  actionEnergy: Record<StorageAction, number>;
  vectorAccessEnergy: number;
  effectiveSize: number | null;
  cycles: number;
  slowdown: number;
  energy: number;
  tensors: TensorModel[];
}

export interface StorageModelOptions {
  /** Ablation 'bandwidth-throttling': ignore read/write/shared bandwidth limits. */
  throttling: boolean;
}

function formatBits(units: RankUnits[], bits: { metadata: number; payload: number }[]): number {
  let total = 0;
  units.forEach((u, r) => {
    const b = bits[r] ?? { metadata: 0, payload: 0 };
    total += b.metadata * u.metadata + b.payload * u.payload;
  });
  return total;
}

/** Vector (block) accesses of every action for one tensor (sparse-arithmetic.md §3.3). */
function vectorAccesses(t: FineGrainedTensorCounts, block: number, metadataWidth: number): Record<StorageAction, number> {
  const data = (n: number): number => (n === 0 ? 0 : Math.ceil(n / block) * t.vectorAccessRatio);
  const meta = (units: RankUnits[]): number =>
    metadataWidth === 0 ? 0 : Math.ceil(formatBits(units, t.formatWordBits) / metadataWidth);
  return {
    random_read: data(t.reads.random),
    random_fill: data(t.fills.random),
    random_update: data(t.updates.random),
    gated_read: data(t.reads.gated),
    gated_fill: data(t.fills.gated),
    gated_update: data(t.updates.gated),
    skipped_read: data(t.reads.skipped),
    skipped_fill: data(t.fills.skipped),
    skipped_update: data(t.updates.skipped),
    random_metadata_read: meta(t.formatReads.random),
    gated_metadata_read: meta(t.formatReads.gated),
    skipped_metadata_read: meta(t.formatReads.skipped),
    random_metadata_fill: meta(t.formatFills.random),
    gated_metadata_fill: meta(t.formatFills.gated),
    skipped_metadata_fill: meta(t.formatFills.skipped),
    random_metadata_update: meta(t.formatUpdates.random),
    gated_metadata_update: meta(t.formatUpdates.gated),
    skipped_metadata_update: meta(t.formatUpdates.skipped),
    decompression_count: t.decompressionCount,
    compression_count: t.compressionCount,
  };
}

function checkCapacity(spec: Spec, ls: StorageLevelSpec, effectiveSize: number | null, tensors: FineGrainedTensorCounts[]): void {
  if (effectiveSize === null) return;
  const required = tensors.reduce((s, t) => s + t.maxDataOccupancy, 0);
  if (required > effectiveSize) {
    const index = spec.mapping.levels.findIndex((m) => m.target === ls.name);
    const field = `mapping[${ls.name}]`;
    const pos = spec.origin.positions?.[field] ?? spec.origin.positions?.[`mapping[${index}]`];
    throw new SparsegaugeError(
      'capacity',
      `tiles kept at '${ls.name}' need ${required} words (${tensors.map((t) => `${t.dataSpace} ${t.maxDataOccupancy}`).join(', ')}) but it holds ${effectiveSize}`,
      { file: pos?.file ?? spec.origin.files.mapping, position: pos?.position, field },
    );
  }
}

export function modelStorageLevel(
  spec: Spec,
  ls: StorageLevelSpec,
  dense: DenseLevelCounts,
  fine: Record<string, FineGrainedTensorCounts>,
  computeCycles: number,
  options: StorageModelOptions,
): StorageModel {
  const { energy: actionEnergy, matched } = storageActionEnergies(spec, ls.name, ls.clusterSize);
  const effectiveSize = ls.size === null ? null : Math.floor(ls.size / ls.multipleBuffering);
  const kept = Object.values(fine);
  checkCapacity(spec, ls, effectiveSize, kept);
  const numClusters = Math.floor(ls.instances / ls.clusterSize);
  const expansion = dense.maxXExpansion * dense.maxYExpansion;

  const readWords: number[] = [];
  const writeWords: number[] = [];
  const tensors: TensorModel[] = kept.map((t) => {
    const d = dense.tensors[t.dataSpace];
    const vectors = vectorAccesses(t, ls.blockSize, ls.metadataStorageWidth);
    for (const a of STORAGE_ACTIONS) requireAction(spec, ls.name, a, matched[a], vectors[a]);
    let cluster = 0;
    for (const a of STORAGE_ACTIONS) cluster += vectors[a] * actionEnergy[a] * t.tileConfidence;
    const utilizedClusters = Math.min(expansion, numClusters);
    const energyPerInstance = cluster / (expansion / utilizedClusters);
    const actual = t.reads.random + t.fills.random + t.updates.random;
    const addressGenerations = d.readWrite
      ? t.updates.random + t.updates.gated + t.fills.random + t.fills.gated
      : t.reads.random + t.reads.gated + t.fills.random + t.fills.gated;

    // Bandwidth words: data plus format bits expressed in (integer-divided) data words.
    const fmtRead = Math.floor(
      (formatBits(t.formatReads.random, t.formatWordBits) + formatBits(t.formatReads.gated, t.formatWordBits)) / ls.wordBits,
    );
    const fmtWrite = Math.floor(
      (formatBits(t.formatFills.random, t.formatWordBits) +
        formatBits(t.formatFills.gated, t.formatWordBits) +
        formatBits(t.formatUpdates.random, t.formatWordBits) +
        formatBits(t.formatUpdates.gated, t.formatWordBits)) /
        ls.wordBits,
    );
    const fmtShared = Math.floor(
      (formatBits(t.formatReads.random, t.formatWordBits) +
        formatBits(t.formatReads.gated, t.formatWordBits) +
        formatBits(t.formatFills.random, t.formatWordBits) +
        formatBits(t.formatFills.gated, t.formatWordBits) +
        formatBits(t.formatUpdates.random, t.formatWordBits) +
        formatBits(t.formatUpdates.gated, t.formatWordBits)) /
        ls.wordBits,
    );
    let r = t.reads.random + t.reads.gated + fmtRead;
    let w = t.fills.random + t.fills.gated + t.updates.random + t.updates.gated + fmtWrite;
    const formatRatio = {
      read: r === 0 ? 0 : fmtRead / r,
      write: w === 0 ? 0 : fmtWrite / w,
      shared: r + w === 0 ? 0 : fmtShared / (r + w),
    };
    const scaling = expansion / t.averageInstances;
    r = Math.ceil(r / scaling);
    w = Math.ceil(w / scaling);
    readWords.push(r);
    writeWords.push(w);
    return {
      dataSpace: t.dataSpace,
      fine: t,
      partitionSize: d.partitionSize,
      tileShape: d.tileSize,
      utilizedInstancesMax: expansion,
      utilizedInstancesAverage: t.averageInstances,
      utilizedClusters,
      addressGenerations,
      energyPerInstance,
      energyTotal: energyPerInstance * t.averageInstances,
      energyPerScalarAccess: actual === 0 ? 0 : energyPerInstance / actual,
      temporalReductionEnergy: 0,
      addressGenerationEnergy: 0,
      readBandwidth: 0,
      writeBandwidth: 0,
      sharedBandwidth: 0,
      formatRatio,
      expansion,
    };
  });

  const readBw = readWords.map((r) => r / computeCycles);
  const writeBw = writeWords.map((w) => w / computeCycles);
  const totalRead = readBw.reduce((s, x) => s + x, 0);
  const totalWrite = writeBw.reduce((s, x) => s + x, 0);
  let slowdown = 1;
  if (options.throttling) {
    if (ls.readBandwidth !== null && ls.readBandwidth < totalRead) slowdown = Math.min(slowdown, ls.readBandwidth / totalRead);
    if (ls.writeBandwidth !== null && ls.writeBandwidth < totalWrite) slowdown = Math.min(slowdown, ls.writeBandwidth / totalWrite);
    if (ls.sharedBandwidth !== null && ls.sharedBandwidth < totalRead + totalWrite) {
      slowdown = Math.min(slowdown, ls.sharedBandwidth / (totalRead + totalWrite));
    }
  }
  tensors.forEach((t, i) => {
    t.readBandwidth = slowdown * readBw[i];
    t.writeBandwidth = slowdown * writeBw[i];
    t.sharedBandwidth = slowdown * (readBw[i] + writeBw[i]);
  });
  if (!Number.isFinite(computeCycles) || computeCycles <= 0) {
    throw new SparsegaugeError('value', `compute cycles must be positive (got ${computeCycles})`, { field: 'mapping' });
  }
  return {
    spec: ls,
    actionEnergy,
    vectorAccessEnergy: vectorAccessEnergy(spec, ls.name, ls.clusterSize),
    effectiveSize,
    cycles: Math.ceil(computeCycles / slowdown),
    slowdown,
    energy: tensors.reduce((s, t) => s + t.energyTotal, 0),
    tensors,
  };
}
