/**
 * Storage level model: from the fine-grained counts of one level to its per-tensor statistics
 * (vector accesses with block size, ERT energies, address generations, bandwidth), its
 * bandwidth throttling and cycles.
 */

import { SparsegaugeError } from '../errors.ts';
import type { Spec, StorageLevelSpec } from '../input/types.ts';
import type { DenseLevelCounts, FineGrainedTensorCounts } from '../analysis/types.ts';
import { STORAGE_ACTIONS, storageActionEnergies, unmatchedAction } from './energy-table.ts';
import { formatAccessBits, type FormatAccessBits } from './format-bits.ts';

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
  /** format bits moved per action (0 at a level without metadata storage) */
  formatBits: FormatAccessBits;
}

export interface StorageModel {
  spec: StorageLevelSpec;
  /** Per-action energy, in STORAGE_ACTIONS order. */
  actionEnergy: number[];
  vectorAccessEnergy: number;
  effectiveSize: number | null;
  cycles: number;
  slowdown: number;
  energy: number;
  tensors: TensorModel[];
  /** ERT actions charged by the reference's default (0 pJ) for want of an entry. */
  warnings: string[];
}

export interface StorageModelOptions {
  /** Ablation 'bandwidth-throttling': ignore read/write/shared bandwidth limits. */
  throttling: boolean;
  /** Compat behaviour `v3ErtActionNames`: Timeloop v3's ERT action-name lists (energy-table.ts). */
  v3ErtActionNames?: boolean;
}

/**
 * A negative count (a gated/skipped delta of a SAF with a negative effective share) as the
 * reference's uint64 holds it: modulo 2^64.
 */
const wrapped = (n: number): bigint => 2n ** 64n + BigInt(n);

/** Data vector accesses: whole blocks, scaled for compressed tensors. */
function dataVectors(n: number, block: number, ratio: number): number {
  if (n < 0) {
    const u = wrapped(n);
    const b = BigInt(block);
    return Number(u % b === 0n ? u / b : u / b + 1n) * ratio;
  }
  return n === 0 ? 0 : Math.ceil(n / block) * ratio;
}

/** Format bits are packed into metadata-storage-width words. */
function metadataVectors(bits: number, metadataWidth: number): number {
  if (metadataWidth === 0) return 0;
  return Math.ceil((bits < 0 ? Number(wrapped(bits)) : bits) / metadataWidth);
}

/** Vector (block) accesses of every action for one tensor, in STORAGE_ACTIONS order (docs/sparse.md §3.3). */
function vectorAccesses(t: FineGrainedTensorCounts, bits: FormatAccessBits, block: number, metadataWidth: number): number[] {
  const ratio = t.vectorAccessRatio;
  return [
    dataVectors(t.reads.random, block, ratio),
    dataVectors(t.fills.random, block, ratio),
    dataVectors(t.updates.random, block, ratio),
    dataVectors(t.reads.gated, block, ratio),
    dataVectors(t.fills.gated, block, ratio),
    dataVectors(t.updates.gated, block, ratio),
    dataVectors(t.reads.skipped, block, ratio),
    dataVectors(t.fills.skipped, block, ratio),
    dataVectors(t.updates.skipped, block, ratio),
    metadataVectors(bits.reads.random, metadataWidth),
    metadataVectors(bits.reads.gated, metadataWidth),
    metadataVectors(bits.reads.skipped, metadataWidth),
    metadataVectors(bits.fills.random, metadataWidth),
    metadataVectors(bits.fills.gated, metadataWidth),
    metadataVectors(bits.fills.skipped, metadataWidth),
    metadataVectors(bits.updates.random, metadataWidth),
    metadataVectors(bits.updates.gated, metadataWidth),
    metadataVectors(bits.updates.skipped, metadataWidth),
    t.decompressionCount,
    t.compressionCount,
  ];
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
  const { energy: actionEnergy, matched, vectorAccessEnergy } = storageActionEnergies(spec, ls, options.v3ErtActionNames ?? false);
  const effectiveSize = ls.size === null ? null : Math.floor(ls.size / ls.multipleBuffering);
  const kept = Object.values(fine);
  checkCapacity(spec, ls, effectiveSize, kept);
  const numClusters = Math.floor(ls.instances / ls.clusterSize);
  const expansion = dense.maxXExpansion * dense.maxYExpansion;

  const readWords: number[] = [];
  const writeWords: number[] = [];
  const warnings: string[] = [];
  const tensors: TensorModel[] = kept.map((t) => {
    const d = dense.tensors[t.dataSpace];
    const fb = formatAccessBits(t, ls.metadataStorageWidth);
    const vectors = vectorAccesses(t, fb, ls.blockSize, ls.metadataStorageWidth);
    let cluster = 0;
    for (let a = 0; a < vectors.length; a++) {
      if (vectors[a] !== 0 && !matched[a]) warnings.push(unmatchedAction(spec, ls.name, STORAGE_ACTIONS[a], vectors[a], actionEnergy[a], t.dataSpace));
      cluster += vectors[a] * actionEnergy[a] * t.tileConfidence;
    }
    const utilizedClusters = Math.min(expansion, numClusters);
    // No utilized instance (every tile empty under a formatted parent): no energy at all.
    const energyPerInstance = t.averageInstances > 0 ? cluster / (expansion / utilizedClusters) : 0;
    const actual = t.reads.random + t.fills.random + t.updates.random;
    const addressGenerations = d.readWrite
      ? t.updates.random + t.updates.gated + t.fills.random + t.fills.gated
      : t.reads.random + t.reads.gated + t.fills.random + t.fills.gated;

    // Bandwidth words: data plus format bits expressed in (integer-divided) data words.
    const readBits = [fb.reads.random, fb.reads.gated];
    const writeBits = [fb.fills.random, fb.fills.gated, fb.updates.random, fb.updates.gated];
    const fmtRead = Math.floor((readBits[0] + readBits[1]) / ls.wordBits);
    const fmtWrite = Math.floor((writeBits[0] + writeBits[1] + writeBits[2] + writeBits[3]) / ls.wordBits);
    const fmtShared = Math.floor((readBits[0] + readBits[1] + writeBits[0] + writeBits[1] + writeBits[2] + writeBits[3]) / ls.wordBits);
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
      formatBits: fb,
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
    vectorAccessEnergy,
    effectiveSize,
    cycles: Math.ceil(computeCycles / slowdown),
    slowdown,
    energy: tensors.reduce((s, t) => s + t.energyTotal, 0),
    tensors,
    warnings,
  };
}
