/**
 * The `Buffer and Arithmetic Levels` section of a stats file, in any known layout (layouts.ts). The
 * layout only changes labels and which fields exist; the section structure is the same.
 */
import type { LineCursor } from './cursor.ts';
import { readV3Breakdown, readV3LeakageSpecs } from './layout-v3.ts';
import type { StatsLayout } from './layouts.ts';
import {
  readBreakdown as readBreakdown2022,
  readInstances,
  readInt,
  readNum,
  readNumOrDash,
  readRankPairs,
  readText,
} from './fields.ts';
import type {
  ActionCounts,
  ArithmeticLevel,
  BandwidthStats,
  FormatCounts,
  Loop,
  StorageLevel,
  StorageSpecs,
  TensorStats,
} from '../../../engine/result/schema.ts';

/** `Inputs:`, or `A (Streamed):` for a tensor the MICRO'22 artifact build streams through a level it does not keep. */
const TENSOR_HEADER = /^(\S+(?: \(Streamed\))?):$/;

function readLevelHeader(c: LineCursor, expectedIndex: number): string {
  c.expectLine(`Level ${expectedIndex}`);
  c.expectLine('-'.repeat(`Level ${expectedIndex}`.length), 'level underline');
  const line = c.next('=== <level name> ===').trim();
  const m = /^=== (.+) ===$/.exec(line);
  if (!m) c.fail('level name', `expected '=== <level name> ===', found '${line}'`, c.lineNumber - 1);
  c.expectBlank();
  return m[1];
}

function expectHeading(c: LineCursor, title: string): void {
  c.expectLine(title);
  c.expectLine('-'.repeat(title.length), `${title} underline`);
}

export function parseArithmetic(c: LineCursor, layout: StatsLayout): ArithmeticLevel {
  c.where = 'arithmetic';
  const name = readLevelHeader(c, 0);
  expectHeading(c, 'SPECS');
  const wordBits = readInt(c, 'Word bits');
  const inst = readInstances(c);
  const computeEnergy = readNum(c, layout.computeEnergyLabel, 'pJ');
  c.expectBlank();
  expectHeading(c, 'STATS');
  let stats: ArithmeticLevel['stats'];
  if (layout.arithmeticStats === 'sparse-no-average') {
    const utilizedInstancesMax = readInt(c, 'Utilized instances');
    const cycles = readInt(c, 'Cycles');
    const algorithmicComputes = readInt(c, 'Algorithmic Computes (total)');
    const actualComputes = readInt(c, 'Actual Computes (total)');
    const gatedComputes = readInt(c, 'Gated Computes (total)');
    const skippedComputes = readInt(c, 'Skipped Computes (total)');
    const energy = readNum(c, 'Energy (total)', 'pJ');
    const area = readNum(c, 'Area (total)', 'um^2');
    stats = { utilizedInstancesMax, cycles, algorithmicComputes, actualComputes, gatedComputes, skippedComputes, energy, area };
  } else if (layout.arithmeticStats === 'dense-no-computes') {
    const utilizedInstancesMax = readInt(c, 'Utilized instances');
    const cycles = readInt(c, 'Cycles');
    const energy = readNum(c, 'Energy (total)', 'pJ');
    const area = readNum(c, 'Area (total)', 'um^2');
    stats = { utilizedInstancesMax, cycles, energy, area };
  } else if (layout.arithmeticStats === 'sparse') {
    const utilizedInstancesMax = readInt(c, 'Utilized instances (max)');
    const utilizedInstancesAverage = readNum(c, 'Utilized instances (average)');
    const cycles = readInt(c, 'Cycles');
    const algorithmicComputes = readInt(c, 'Algorithmic Computes (total)');
    const actualComputes = readInt(c, 'Actual Computes (total)');
    const gatedComputes = readInt(c, 'Gated Computes (total)');
    const skippedComputes = readInt(c, 'Skipped Computes (total)');
    const energy = readNum(c, 'Energy (total)', 'pJ');
    const area = readNum(c, 'Area (total)', 'um^2');
    stats = { utilizedInstancesMax, utilizedInstancesAverage, cycles, algorithmicComputes, actualComputes, gatedComputes, skippedComputes, energy, area };
  } else {
    const utilizedInstancesMax = readInt(c, 'Utilized instances');
    const actualComputes = readInt(c, 'Computes (total)');
    const cycles = readInt(c, 'Cycles');
    const energy = readNum(c, 'Energy (total)', 'pJ');
    const area = readNum(c, 'Area (total)', 'um^2');
    stats = { utilizedInstancesMax, cycles, actualComputes, energy, area };
  }
  c.skipBlanks(); // the sparse layout ends the block with a blank line, the dense one does not
  return { name, level: 0, specs: { wordBits, instances: inst.instances, meshX: inst.meshX, meshY: inst.meshY, computeEnergy }, stats };
}

/** Early 2021 metadata specs (`Metadata storage size`, word bits, block size): read, not in the schema. */
function skipEarlyMetadataSpecs(c: LineCursor): void {
  readNumOrDash(c, 'Metadata storage size');
  readInt(c, 'Metadata word bits');
  readInt(c, 'Metadata block size');
}

function parseStorageSpecs(c: LineCursor, layout: StatsLayout): StorageSpecs {
  expectHeading(c, 'SPECS');
  const sparse = layout.storageSpecs !== 'dense';
  const technology = readText(c, 'Technology');
  const dataStorageSize = readNumOrDash(c, sparse ? 'Data storage size' : 'Size');
  const dataWordBits = readInt(c, sparse ? 'Data word bits' : 'Word bits');
  const dataBlockSize = readInt(c, sparse ? 'Data block size' : 'Block size');
  if (layout.storageSpecs === 'sparse-metadata-size') skipEarlyMetadataSpecs(c);
  const metadata =
    layout.storageSpecs === 'sparse'
      ? { metadataStorageWidth: readInt(c, 'Metadata storage width(bits)'), metadataStorageDepth: readNumOrDash(c, 'Metadata storage depth') }
      : {};
  const clusterSize = readInt(c, 'Cluster size');
  const inst = readInstances(c);
  const sharedBandwidth = layout.sharedBandwidthSpec ? { sharedBandwidth: readNumOrDash(c, 'Shared bandwidth') } : {};
  const readBandwidth = readNumOrDash(c, 'Read bandwidth');
  const writeBandwidth = readNumOrDash(c, 'Write bandwidth');
  const multipleBuffering = readNum(c, 'Multiple buffering');
  const effectiveDataStorageSize = readNumOrDash(c, sparse ? 'Effective data storage size' : 'Effective size');
  const minUtilization = readNum(c, 'Min utilization');
  const energies = sparse
    ? {
        vectorReadEnergy: readNum(c, 'Vector read energy', 'pJ'),
        vectorWriteEnergy: readNum(c, 'Vector write energy', 'pJ'),
        vectorMetadataReadEnergy: readNum(c, 'Vector metadata read energy', 'pJ'),
        vectorMetadataWriteEnergy: readNum(c, 'Vector metadata write energy', 'pJ'),
        decompressionEnergy: readNum(c, '(De)compression energy', 'pJ'),
      }
    : { vectorAccessEnergy: readNum(c, 'Vector access energy', 'pJ') };
  if (layout.energySourceAndLeakage) readV3LeakageSpecs(c, !sparse);
  const area = readNum(c, 'Area', 'um^2');
  c.expectBlank();
  return {
    technology,
    dataStorageSize,
    dataWordBits,
    dataBlockSize,
    ...metadata,
    clusterSize,
    instances: inst.instances,
    meshX: inst.meshX,
    meshY: inst.meshY,
    ...sharedBandwidth,
    readBandwidth,
    writeBandwidth,
    multipleBuffering,
    effectiveDataStorageSize,
    minUtilization,
    ...energies,
    area,
  };
}

function parseLoopNest(c: LineCursor): Loop[] {
  expectHeading(c, 'MAPPING');
  c.expectLine('Loop nest:');
  const loops: Loop[] = [];
  while (c.nextStartsWith('for ')) {
    const line = c.next('loop').trim();
    const m = /^for (\S+) in \[(\d+):(\d+)\)( \(Spatial-(X|Y)\))?$/.exec(line);
    if (!m) c.fail('loop', `expected 'for D in [a:b)' with optional '(Spatial-X|Y)', found '${line}'`, c.lineNumber - 1);
    const loop: Loop = { dimension: m[1], start: Number(m[2]), end: Number(m[3]) };
    if (m[5]) loop.spatial = m[5] as 'X' | 'Y';
    loops.push(loop);
  }
  c.expectBlank();
  return loops;
}

function readSparseActions(c: LineCursor, action: string): ActionCounts {
  return {
    algorithmic: readInt(c, `Algorithmic scalar ${action} (per-instance)`),
    actual: readInt(c, `Actual scalar ${action} (per-instance)`),
    gated: readInt(c, `Gated scalar ${action} (per-instance)`),
    skipped: readInt(c, `Skipped scalar ${action} (per-instance)`),
  };
}

function readFormatActions(c: LineCursor, action: string): FormatCounts {
  return {
    actual: readRankPairs(c, `Actual scalar format ${action} (per-instance)`),
    gated: readRankPairs(c, `Gated scalar format ${action} (per-instance)`),
    skipped: readRankPairs(c, `Skipped scalar format ${action} (per-instance)`),
  };
}

function readEnergies(c: LineCursor) {
  return {
    energyPerScalarAccess: readNum(c, 'Energy (per-scalar-access)', 'pJ'),
    energyPerInstance: readNum(c, 'Energy (per-instance)', 'pJ'),
    energyTotal: readNum(c, 'Energy (total)', 'pJ'),
    temporalReductionEnergyPerInstance: readNum(c, 'Temporal Reduction Energy (per-instance)', 'pJ'),
    temporalReductionEnergyTotal: readNum(c, 'Temporal Reduction Energy (total)', 'pJ'),
    addressGenerationEnergyPerCluster: readNum(c, 'Address Generation Energy (per-cluster)', 'pJ'),
    addressGenerationEnergyTotal: readNum(c, 'Address Generation Energy (total)', 'pJ'),
  };
}

function readBandwidths(c: LineCursor, layout: StatsLayout): BandwidthStats {
  const wpc = 'words/cycle';
  const v3 = layout.energySourceAndLeakage;
  const readBreakdown = v3 ? readV3Breakdown : readBreakdown2022;
  if (v3) readNum(c, 'Bandwidth Consumption Scale');
  if (layout.bandwidth === 'breakdown-no-shared') {
    const readPerInstance = readNum(c, 'Read Bandwidth (per-instance)', wpc);
    const readBreakdownV = readBreakdown(c);
    const readTotal = readNum(c, 'Read Bandwidth (total)', wpc);
    const writePerInstance = readNum(c, 'Write Bandwidth (per-instance)', wpc);
    const writeBreakdown = readBreakdown(c);
    const writeTotal = readNum(c, 'Write Bandwidth (total)', wpc);
    return { readPerInstance, readTotal, writePerInstance, writeTotal, readBreakdown: readBreakdownV, writeBreakdown };
  }
  if (layout.bandwidth === 'dense' || layout.bandwidth === 'dense-no-shared') {
    const shared =
      layout.bandwidth === 'dense'
        ? { sharedPerInstance: readNum(c, 'Shared Bandwidth (per-instance)', wpc), sharedTotal: readNum(c, 'Shared Bandwidth (total)', wpc) }
        : {};
    return {
      ...shared,
      readPerInstance: readNum(c, 'Read Bandwidth (per-instance)', wpc),
      readTotal: readNum(c, 'Read Bandwidth (total)', wpc),
      writePerInstance: readNum(c, 'Write Bandwidth (per-instance)', wpc),
      writeTotal: readNum(c, 'Write Bandwidth (total)', wpc),
    };
  }
  const sharedPerInstance = readNum(c, 'Average Shared Bandwidth (per-instance)', wpc);
  const sharedBreakdown = readBreakdown(c);
  const sharedTotal = readNum(c, 'Shared Bandwidth (total)', wpc);
  const readPerInstance = readNum(c, 'Average Read Bandwidth (per-instance)', wpc);
  const readBreakdownV = readBreakdown(c);
  const readTotal = readNum(c, 'Read Bandwidth (total)', wpc);
  const writePerInstance = readNum(c, 'Average Write Bandwidth (per-instance)', wpc);
  const writeBreakdown = readBreakdown(c);
  const writeTotal = readNum(c, 'Write Bandwidth (total)', wpc);
  return {
    sharedPerInstance,
    sharedTotal,
    readPerInstance,
    readTotal,
    writePerInstance,
    writeTotal,
    sharedBreakdown,
    readBreakdown: readBreakdownV,
    writeBreakdown,
  };
}

/**
 * Early 2021 metadata lines (metadata action counts, (de)compression counts): read, not in the
 * schema. The labels are as that build printed them, including its irregular ones.
 */
const EARLY_METADATA_COUNTS = [
  'Actual scalar metadata reads (per-instance)',
  'Gated scalar metadata reads (per-instance)',
  'Skipped scalar metadata reads (per-instance)',
  'Actual scalar metadata fills (per-instance)',
  'Gated scalar metadata fills (per-instance)',
  'Skipped metadata fills (per-instance)',
  'Actual scalar metadata updates (per-instance)',
  'Gated scalar metadata gated updates (per-instance)',
  'Skipped scalar metadata updates (per-instance)',
  'Scalar decompression counts (per-cluster)',
  'Scalar compression counts (per-cluster)',
];

function parseSparseTensor(c: LineCursor, layout: StatsLayout): TensorStats {
  const early = layout.tensorStats === 'sparse-metadata';
  const partitionSize = readInt(c, 'Partition size');
  const tileDensityDistribution = readText(c, 'Tile density distribution');
  const dataTileShape = readInt(c, 'Data tile shape');
  const maxUtilizedDataStorageCapacity = readInt(c, 'Max utilized data storage capacity');
  const repr = readText(c, early ? 'Metadata format' : 'Representation format');
  const representationFormat = repr === 'none' ? [] : repr.split(/\s+/).map((s) => s.toLowerCase());
  // Early 2021 prints one metadata capacity, not per rank: read, not in the schema.
  const formatCapacity = early
    ? (readInt(c, 'Max utilized metadata storage capacity'), {})
    : { maxUtilizedFormatCapacity: readRankPairs(c, 'Max utilized Repr format storage capacity', layout.tensorStats === 'sparse-no-average') };
  const utilizedInstancesMax = readInt(c, 'Utilized instances (max)');
  const average = layout.tensorStats === 'sparse' ? { utilizedInstancesAverage: readNum(c, 'Utilized instances (average)') } : {};
  const utilizedClustersMax = readInt(c, 'Utilized clusters (max)');
  const reads = readSparseActions(c, 'reads');
  const fills = readSparseActions(c, 'fills');
  const updates = readSparseActions(c, 'updates');
  // Format lines are printed only for tensors that have a representation format.
  const formats = c.nextStartsWith('Actual scalar format reads')
    ? { formatReads: readFormatActions(c, 'reads'), formatFills: readFormatActions(c, 'fills'), formatUpdates: readFormatActions(c, 'updates') }
    : {};
  if (early) for (const label of EARLY_METADATA_COUNTS) readInt(c, label);
  const temporalReductions = readInt(c, 'Temporal reductions (per-instance)');
  const addressGenerations = readInt(c, 'Address generations (per-cluster)');
  const energies = readEnergies(c);
  const bandwidth = readBandwidths(c, layout);
  return {
    partitionSize,
    tileDensityDistribution,
    dataTileShape,
    maxUtilizedDataStorageCapacity,
    representationFormat,
    ...formatCapacity,
    utilizedInstancesMax,
    ...average,
    utilizedClustersMax,
    reads,
    fills,
    updates,
    ...formats,
    temporalReductions,
    addressGenerations,
    ...energies,
    bandwidth,
  };
}

function parseDenseTensor(c: LineCursor, layout: StatsLayout): TensorStats {
  const partitionSize = readInt(c, 'Partition size');
  const maxUtilizedDataStorageCapacity = readInt(c, 'Utilized capacity');
  const utilizedInstancesMax = readInt(c, 'Utilized instances (max)');
  const utilizedClustersMax = readInt(c, 'Utilized clusters (max)');
  const reads = { actual: readInt(c, 'Scalar reads (per-instance)') };
  // Timeloop v3 prints fills before updates.
  const v3 = layout.energySourceAndLeakage;
  const early = v3 ? { actual: readInt(c, 'Scalar fills (per-instance)') } : undefined;
  const updates = { actual: readInt(c, 'Scalar updates (per-instance)') };
  const fills = early ?? { actual: readInt(c, 'Scalar fills (per-instance)') };
  const temporalReductions = readInt(c, 'Temporal reductions (per-instance)');
  const addressGenerations = readInt(c, 'Address generations (per-cluster)');
  const energies = readEnergies(c);
  const bandwidth = readBandwidths(c, layout);
  return {
    partitionSize,
    maxUtilizedDataStorageCapacity,
    utilizedInstancesMax,
    utilizedClustersMax,
    reads,
    fills,
    updates,
    temporalReductions,
    addressGenerations,
    ...energies,
    bandwidth,
  };
}

export function parseStorageLevel(c: LineCursor, layout: StatsLayout, index: number): StorageLevel {
  c.where = `storage level ${index}`;
  const name = readLevelHeader(c, index);
  c.where = `storage.${name}`;
  const specs = parseStorageSpecs(c, layout);
  const loopNest = layout.energySourceAndLeakage ? undefined : parseLoopNest(c);
  expectHeading(c, 'STATS');
  const cycles = readInt(c, 'Cycles');
  const bandwidthThrottling = readNum(c, 'Bandwidth throttling');
  const tensors: Record<string, TensorStats> = {};
  while (!c.atEnd() && c.peek()!.trim() !== '') {
    const header = c.next('<tensor>:').trim();
    const m = TENSOR_HEADER.exec(header);
    if (!m) c.fail('tensor name', `expected '<tensor>:' or a blank line, found '${header}'`, c.lineNumber - 1);
    if (m[1] in tensors) c.fail('tensor name', `tensor '${m[1]}' printed twice in level '${name}'`, c.lineNumber - 1);
    c.where = `storage.${name}.tensors.${m[1]}`;
    tensors[m[1]] = layout.tensorStats === 'dense' ? parseDenseTensor(c, layout) : parseSparseTensor(c, layout);
  }
  c.where = `storage.${name}`;
  c.expectBlank();
  return { name, level: index, specs, ...(loopNest ? { loopNest } : {}), stats: { cycles, bandwidthThrottling }, tensors };
}
