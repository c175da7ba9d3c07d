/**
 * Sparse analysis: DenseCounts -> FineGrainedCounts (docs/sparse.md §0 gives the order).
 * Densities → formats → expected occupancies → format accesses → storage SAF probabilities →
 * compression impact → SAF impact and propagation → (de)compression counts → compute SAFs.
 */
import type { Spec, DataSpace } from '../input/types.ts';
import type { EvaluateOptions } from '../options.ts';
import { compatBehaviours } from '../compat-modes.ts';
import type {
  ActionBreakdown,
  DenseCounts,
  FineGrainedCounts,
  FineGrainedLevelCounts,
  FineGrainedTensorCounts,
  RankUnits,
} from '../analysis/types.ts';
import type { DensityModel } from './density/model.ts';
import { createDensityModel } from './density/registry.ts';
import { type NestBoxes, cumulativeBoxes, dataSpaceTileSize } from './projection.ts';
import { buildFormatLayouts, levelLoops } from './layout.ts';
import { checkSpatialExpansion } from './spatial-expansion.ts';
import { expectedTensorOccupancy, formatCapacity } from './format/occupancy.ts';
import { formatAccesses } from './format/accesses.ts';
import { rankWordBits } from './format/word-bits.ts';
import { compressedAccesses } from './compression.ts';
import { vectorAccessRatio } from './vector-ratio.ts';
import { sparsePlan, type SparsePlan } from './saf-spec.ts';
import type { TensorState } from './state.ts';
import { storageSafProbabilities } from './gating/decide.ts';
import { propagateSafs } from './gating/propagate.ts';
import { addSpatialSkips } from './gating/spatial-skip.ts';
import { computeBreakdown, round6, type OperandState } from './compute.ts';
import { SparsegaugeError } from '../errors.ts';

const zeros = (n: number): RankUnits[] => {
  const out: RankUnits[] = [];
  for (let i = 0; i < n; i++) out.push({ metadata: 0, payload: 0 });
  return out;
};

function densityModels(spec: Spec): Record<string, DensityModel> {
  const out: Record<string, DensityModel> = {};
  for (const ds of spec.problem.dataSpaces) {
    const given = spec.problem.densities[ds.name] ?? { distribution: 'fixed-structured', density: 1 };
    out[ds.name] = createDensityModel(given, {
      dataSpace: ds.name,
      tensorSize: dataSpaceTileSize(ds, spec.problem.bounds),
      file: spec.origin.files.problem,
    });
  }
  return out;
}

export function sparseAnalysis(spec: Spec, dense: DenseCounts, options: EvaluateOptions = {}): FineGrainedCounts {
  const plan = sparsePlan(spec, options);
  const densities = densityModels(spec);
  const behaviours = compatBehaviours(options.compat);
  const dataSpaces = spec.problem.dataSpaces;

  // Per level, per kept tensor: initial state (everything random, no format).
  const states: Record<string, TensorState>[] = dense.levels.map((level) => {
    const out: Record<string, TensorState> = {};
    for (const t of Object.values(level.tensors)) {
      if (!t.kept || t.tileSize === 0) continue;
      out[t.dataSpace] = {
        record: t,
        work: {
          readWrite: t.readWrite,
          algorithmicUpdates: t.updates,
          tileSize: t.tileSize,
          reads: { random: t.reads, gated: 0, skipped: 0 },
          fills: { random: t.fills, gated: 0, skipped: 0 },
          updates: { random: t.updates, gated: 0, skipped: 0 },
          formatReads: { random: [], gated: [], skipped: [] },
          formatFills: { random: [], gated: [], skipped: [] },
          formatUpdates: { random: [], gated: [], skipped: [] },
          temporalReductions: t.temporalReductions,
          hasMetadata: false,
        },
        layout: null,
        compressed: false,
        expectedData: t.tileSize,
        maxData: t.tileSize,
        capacity: [],
        wordBits: [],
        averageInstances: level.replication,
        vectorRatio: 1,
        compressionCount: 0,
        decompressionCount: 0,
      };
    }
    return out;
  });

  let computes = dense.compute.algorithmicComputes;
  const storageGated: Record<string, number> = {};
  if (plan.any) {
    const boxes = cumulativeBoxes(dense.completeNest);
    analyseFormats(spec, dense, plan, densities, states, boxes);
    const safs = storageSafProbabilities(spec, dense, plan, densities, states, behaviours.float32SafProbability, boxes);
    addSpatialSkips({ dense, dataSpaces, densities, states }, plan.spatialSkips, safs);
    applyCompression(dataSpaces, states, behaviours.ceilCompressedAccesses);
    computes = propagateSafs(dense, dataSpaces, states, safs, computes, storageGated, behaviours.roundedComputeSafProbability);
    countDecompression(spec, dense, dataSpaces, states);
  }

  const levels: FineGrainedLevelCounts[] = dense.levels.map((level, l) => {
    const tensors: Record<string, FineGrainedTensorCounts> = {};
    for (const ds of dataSpaces) {
      const s = states[l][ds.name];
      if (s) tensors[ds.name] = finalTensor(s, densities[ds.name], plan.formats[l][ds.name]?.ranks.map((r) => r.format) ?? []);
    }
    return { name: level.name, index: level.index, tensors };
  });

  const compute = plan.any
    ? computeCounts(spec, dense, plan, densities, states, computes, storageGated)
    : { random: computes, gated: 0, skipped: 0 };
  return {
    dense,
    levels,
    compute: { algorithmic: dense.compute.algorithmicComputes, ...compute, averageInstances: dense.compute.utilizedInstances },
  };
}

function copyBreakdown(b: ActionBreakdown): ActionBreakdown {
  return { random: b.random, gated: b.gated, skipped: b.skipped };
}

function finalTensor(s: TensorState, density: DensityModel, formats: string[]): FineGrainedTensorCounts {
  const w = s.work;
  return {
    dataSpace: s.record.dataSpace,
    algorithmic: { reads: s.record.reads, fills: s.record.fills, updates: s.record.updates },
    reads: copyBreakdown(w.reads),
    fills: copyBreakdown(w.fills),
    updates: copyBreakdown(w.updates),
    formatReads: w.formatReads,
    formatFills: w.formatFills,
    formatUpdates: w.formatUpdates,
    temporalReductions: w.temporalReductions,
    compressionCount: s.compressionCount,
    decompressionCount: s.decompressionCount,
    expectedDataOccupancy: s.expectedData,
    maxDataOccupancy: s.maxData,
    expectedDensity: s.expectedData / s.record.tileSize,
    formatCapacity: s.capacity,
    formatWordBits: s.wordBits,
    densityDistribution: density.distribution,
    representationFormat: [...formats].reverse().map((f) => f.toLowerCase()),
    compressed: s.compressed,
    hasMetadata: w.hasMetadata,
    averageInstances: s.averageInstances,
    vectorAccessRatio: s.vectorRatio,
    tileConfidence: 1,
  };
}

/** §2–§3 inputs: layouts, expected occupancies, capacities, format accesses, vector ratios. */
function analyseFormats(
  spec: Spec,
  dense: DenseCounts,
  plan: SparsePlan,
  densities: Record<string, DensityModel>,
  states: Record<string, TensorState>[],
  boxes: NestBoxes,
): void {
  const loops = levelLoops(dense);
  for (const ds of spec.problem.dataSpaces) {
    const formats = dense.levels.map((_, l) => plan.formats[l][ds.name] ?? null);
    // Word bits are resolved (and checked) for every declared format first, as the reference parses them.
    const declaredBits = formats.map((f, l) => {
      if (!f) return [];
      const where = { file: spec.origin.files.sparse_optimizations, field: `sparse_optimizations.targets.${dense.levels[l].name}.representation-format.data-spaces.${ds.name}.ranks` };
      return f.ranks.map((r) => rankWordBits(r, spec.architecture.storage[l], where));
    });
    const layouts = buildFormatLayouts({ dense, dataSpace: ds, formats, boxes, levelLoops: loops });
    // The reference shrinks fanouts under formats only when some skipping-spatial SAF is declared.
    const spatialSkipping = plan.spatialSkips.some((groups) => groups.length > 0);
    if (spatialSkipping) checkSpatialExpansion(dense, ds, densities[ds.name], (l) => layouts[l] !== null, boxes);
    dense.levels.forEach((level, l) => {
      const s = states[l][ds.name];
      if (!s) return;
      const layout = layouts[l];
      const density = densities[ds.name];
      const parent = s.record.parentLevel;
      const parentHasMetadata = parent !== null && layouts[parent] !== null;
      const occ = expectedTensorOccupancy(layout, density, s.record.tileSize, parentHasMetadata);
      s.expectedData = occ.expectedData;
      // With spatial skipping declared the reference recomputes every level's average instances
      // from the (here unshrunk) spatial expansion, which drops the non-empty-tile share.
      s.averageInstances = spatialSkipping ? level.replication : level.replication * occ.nonEmptyShare;
      if (!layout) return;
      const levelSpec = spec.architecture.storage[l];
      const format = formats[l]!;
      s.layout = layout;
      s.compressed = format.compressed;
      s.work.hasMetadata = true;
      s.maxData = density.maxOccupancy(s.record.tileSize, 1);
      s.capacity = formatCapacity(layout, density, s.record.tileSize);
      // Structurally empty ranks carry no word bits.
      s.wordBits = declaredBits[l].map((bits, i) => (occ.emptyRanks[i] ? { metadata: 0, payload: 0 } : bits));
      const acc = formatAccesses(occ.expectedRanks, s.record, s.record.tileSize);
      const n = format.ranks.length;
      s.work.formatReads = { random: acc.reads, gated: zeros(n), skipped: zeros(n) };
      s.work.formatFills = { random: acc.fills, gated: zeros(n), skipped: zeros(n) };
      s.work.formatUpdates = { random: acc.updates, gated: zeros(n), skipped: zeros(n) };
      s.vectorRatio = vectorAccessRatio(s.compressed, s.record.tileSize, levelSpec.blockSize, s.expectedData / s.record.tileSize, density, level.name);
    });
  }
}

/** §3.1: levels holding a formatted tensor see only its non-zeros. */
function applyCompression(dataSpaces: DataSpace[], states: Record<string, TensorState>[], ceilAccesses: boolean): void {
  for (const ds of dataSpaces) {
    for (let l = states.length - 1; l >= 0; l--) {
      const s = states[l][ds.name];
      if (!s || !s.work.hasMetadata) continue;
      s.work.reads.random = compressedAccesses(s.record.reads, s.expectedData, s.record.tileSize, ceilAccesses);
      s.work.fills.random = compressedAccesses(s.record.fills, s.expectedData, s.record.tileSize, ceilAccesses);
      if (ds.readWrite) s.work.updates.random = compressedAccesses(s.record.updates, s.expectedData, s.record.tileSize, ceilAccesses);
    }
  }
}

/**
 * §3.2: an uncompressed child of a compressed parent decompresses its fills (and compresses updates).
 * As in Timeloop, the child level must declare `decompression_supported` (and, for a read-write
 * tensor, `compression_supported`), else the mapping is invalid.
 */
function countDecompression(spec: Spec, dense: DenseCounts, dataSpaces: DataSpace[], states: Record<string, TensorState>[]): void {
  for (const ds of dataSpaces) {
    dense.levels.forEach((level, l) => {
      const s = states[l][ds.name];
      if (!s || s.compressed) return;
      const child = s.record.childLevel;
      if (child !== null && states[child][ds.name]?.compressed) {
        throw new SparsegaugeError('unsupported', `${ds.name} is compressed at ${dense.levels[child].name} but not at its parent ${level.name}`, {
          field: `sparse_optimizations.targets.${level.name}.representation-format.data-spaces.${ds.name}`,
        });
      }
      const parent = s.record.parentLevel;
      if (parent !== null && states[parent][ds.name]?.compressed) {
        const levelSpec = spec.architecture.storage[l];
        const missing = !levelSpec.decompressionSupported ? 'decompression_supported' : ds.readWrite && !levelSpec.compressionSupported ? 'compression_supported' : null;
        if (missing) {
          throw new SparsegaugeError('value', `${ds.name} is compressed at ${dense.levels[parent].name} but not at ${level.name}, which lacks ${missing}: true`, {
            file: spec.origin.files.architecture,
            field: `architecture.${level.name}.${missing}`,
          });
        }
        if (ds.readWrite) s.compressionCount += states[parent][ds.name].work.updates.random;
        s.decompressionCount += s.work.fills.random;
      }
    });
  }
}

/** §5: split the (storage-reduced) computes by the operands' states. */
function computeCounts(
  spec: Spec,
  dense: DenseCounts,
  plan: SparsePlan,
  densities: Record<string, DensityModel>,
  states: Record<string, TensorState>[],
  total: number,
  storageGated: Record<string, number>,
): { random: number; gated: number; skipped: number } {
  const operands = spec.problem.dataSpaces.filter((d) => !d.readWrite);
  if (operands.length !== 2) {
    if (plan.compute.gating || plan.compute.skipping) {
      throw new SparsegaugeError('unsupported', `compute gating/skipping needs exactly two read-only operands (found ${operands.length})`, {
        field: 'sparse_optimizations.targets',
      });
    }
    return { random: total, gated: 0, skipped: 0 };
  }
  return computeBreakdown(
    total,
    operandState(dense, densities, states, storageGated, operands[0]),
    operandState(dense, densities, states, storageGated, operands[1]),
    plan.compute,
  );
}

function operandState(
  dense: DenseCounts,
  densities: Record<string, DensityModel>,
  states: Record<string, TensorState>[],
  storageGated: Record<string, number>,
  ds: DataSpace,
): OperandState {
  const innermost = dense.levels.findIndex((_, l) => states[l][ds.name] !== undefined);
  return {
    density: round6(densities[ds.name].directExpectedOccupancy(1)), // one element's occupancy is its density
    hasMetadata: innermost >= 0 && states[innermost][ds.name].work.hasMetadata,
    storageGatedEmptyProbability: storageGated[ds.name] ?? null,
  };
}
