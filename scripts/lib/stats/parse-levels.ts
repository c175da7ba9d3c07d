/**
 * The `Buffer and Arithmetic Levels` section of a stats file, in either layout. The layout only
 * changes labels and which fields exist; the section structure is the same.
 */
import type { LineCursor } from './cursor.ts';
import { readV3Breakdown, readV3LeakageSpecs, type StatsRevision } from './layout-v3.ts';
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
  StatsFormat,
  StorageLevel,
  StorageSpecs,
  TensorStats,
} from '../../../engine/result/schema.ts';

const TENSOR_HEADER = /^(\S+):$/;

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

export function parseArithmetic(c: LineCursor, format: StatsFormat): ArithmeticLevel {
  c.where = 'arithmetic';
  const name = readLevelHeader(c, 0);
  expectHeading(c, 'SPECS');
  const wordBits = readInt(c, 'Word bits');
  const inst = readInstances(c);
  const computeEnergy = readNum(c, 'Compute energy', 'pJ');
  c.expectBlank();
  expectHeading(c, 'STATS');
  let stats: ArithmeticLevel['stats'];
  if (format === 'sparseloop') {
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

function parseStorageSpecs(c: LineCursor, format: StatsFormat, revision: StatsRevision): StorageSpecs {
  expectHeading(c, 'SPECS');
  const sparse = format === 'sparseloop';
  const technology = readText(c, 'Technology');
  const dataStorageSize = readNumOrDash(c, sparse ? 'Data storage size' : 'Size');
  const dataWordBits = readInt(c, sparse ? 'Data word bits' : 'Word bits');
  const dataBlockSize = readInt(c, sparse ? 'Data block size' : 'Block size');
  const metadata = sparse
    ? { metadataStorageWidth: readInt(c, 'Metadata storage width(bits)'), metadataStorageDepth: readNumOrDash(c, 'Metadata storage depth') }
    : {};
  const clusterSize = readInt(c, 'Cluster size');
  const inst = readInstances(c);
  const sharedBandwidth = readNumOrDash(c, 'Shared bandwidth');
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
  if (revision === 'timeloop-v3') readV3LeakageSpecs(c, !sparse);
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
    sharedBandwidth,
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

function readBandwidths(c: LineCursor, format: StatsFormat, revision: StatsRevision): BandwidthStats {
  const wpc = 'words/cycle';
  const readBreakdown = revision === 'timeloop-v3' ? readV3Breakdown : readBreakdown2022;
  if (revision === 'timeloop-v3') readNum(c, 'Bandwidth Consumption Scale');
  if (format === 'timeloop-dense') {
    return {
      sharedPerInstance: readNum(c, 'Shared Bandwidth (per-instance)', wpc),
      sharedTotal: readNum(c, 'Shared Bandwidth (total)', wpc),
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

function parseSparseTensor(c: LineCursor, revision: StatsRevision): TensorStats {
  const partitionSize = readInt(c, 'Partition size');
  const tileDensityDistribution = readText(c, 'Tile density distribution');
  const dataTileShape = readInt(c, 'Data tile shape');
  const maxUtilizedDataStorageCapacity = readInt(c, 'Max utilized data storage capacity');
  const repr = readText(c, 'Representation format');
  const representationFormat = repr === 'none' ? [] : repr.split(/\s+/).map((s) => s.toLowerCase());
  const maxUtilizedFormatCapacity = readRankPairs(c, 'Max utilized Repr format storage capacity');
  const utilizedInstancesMax = readInt(c, 'Utilized instances (max)');
  const utilizedInstancesAverage = readNum(c, 'Utilized instances (average)');
  const utilizedClustersMax = readInt(c, 'Utilized clusters (max)');
  const reads = readSparseActions(c, 'reads');
  const fills = readSparseActions(c, 'fills');
  const updates = readSparseActions(c, 'updates');
  // Format lines are printed only for tensors that have a representation format.
  const formats = c.nextStartsWith('Actual scalar format reads')
    ? { formatReads: readFormatActions(c, 'reads'), formatFills: readFormatActions(c, 'fills'), formatUpdates: readFormatActions(c, 'updates') }
    : {};
  const temporalReductions = readInt(c, 'Temporal reductions (per-instance)');
  const addressGenerations = readInt(c, 'Address generations (per-cluster)');
  const energies = readEnergies(c);
  const bandwidth = readBandwidths(c, 'sparseloop', revision);
  return {
    partitionSize,
    tileDensityDistribution,
    dataTileShape,
    maxUtilizedDataStorageCapacity,
    representationFormat,
    maxUtilizedFormatCapacity,
    utilizedInstancesMax,
    utilizedInstancesAverage,
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

function parseDenseTensor(c: LineCursor, revision: StatsRevision): TensorStats {
  const partitionSize = readInt(c, 'Partition size');
  const maxUtilizedDataStorageCapacity = readInt(c, 'Utilized capacity');
  const utilizedInstancesMax = readInt(c, 'Utilized instances (max)');
  const utilizedClustersMax = readInt(c, 'Utilized clusters (max)');
  const reads = { actual: readInt(c, 'Scalar reads (per-instance)') };
  // v3 prints fills before updates.
  const v3Fills = revision === 'timeloop-v3' ? { actual: readInt(c, 'Scalar fills (per-instance)') } : undefined;
  const updates = { actual: readInt(c, 'Scalar updates (per-instance)') };
  const fills = v3Fills ?? { actual: readInt(c, 'Scalar fills (per-instance)') };
  const temporalReductions = readInt(c, 'Temporal reductions (per-instance)');
  const addressGenerations = readInt(c, 'Address generations (per-cluster)');
  const energies = readEnergies(c);
  const bandwidth = readBandwidths(c, 'timeloop-dense', revision);
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

export function parseStorageLevel(c: LineCursor, format: StatsFormat, index: number, revision: StatsRevision = 'timeloop-2022'): StorageLevel {
  c.where = `storage level ${index}`;
  const name = readLevelHeader(c, index);
  c.where = `storage.${name}`;
  const specs = parseStorageSpecs(c, format, revision);
  const loopNest = revision === 'timeloop-v3' ? undefined : parseLoopNest(c);
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
    tensors[m[1]] = format === 'sparseloop' ? parseSparseTensor(c, revision) : parseDenseTensor(c, revision);
  }
  c.where = `storage.${name}`;
  c.expectBlank();
  return { name, level: index, specs, ...(loopNest ? { loopNest } : {}), stats: { cycles, bandwidthThrottling }, tensors };
}
