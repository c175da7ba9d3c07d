/**
 * Random valid Eyeriss specs for property tests (not a test file). Start from a Table 7 spec
 * (Eyeriss v1: DRAM, shared_glb, the DummyBuffer row, 14 x 12 PEs with three scratchpads) and
 * draw a problem size, a factorization of every dimension over the temporal and spatial slots,
 * loop orders, densities and sparse optimizations. Factors that would overflow a buffer or a
 * fanout are moved to DRAM, so every spec fits by construction.
 */
import fc from 'fast-check';
import type { CompatMode } from '../engine/result/schema.ts';
import type {
  DataSpace,
  DensitySpec,
  LevelMapping,
  LoopSpec,
  RankFormat,
  RankFormatName,
  SparseOptimizations,
  SparseTarget,
  Spec,
} from '../engine/input/types.ts';

const DIMS = ['C', 'M', 'R', 'S', 'N', 'P', 'Q'];

/** Sizes per dimension kept small so one evaluation stays around a millisecond. */
const SIZES: Record<string, number[]> = {
  C: [1, 2, 3, 4, 6, 8, 12, 16],
  M: [1, 2, 4, 6, 8, 16, 24, 32],
  R: [1, 2, 3, 5],
  S: [1, 2, 3, 5],
  N: [1, 2, 4],
  P: [1, 2, 3, 5, 7, 8, 13],
  Q: [1, 2, 3, 5, 7, 8, 13],
};

export interface StorageSafRecipe {
  level: number;
  kind: 'gating' | 'skipping';
  target: number;
  conditionOn: number[];
}

export interface EyerissRecipe {
  bounds: Record<string, number>;
  /** Per dimension, per prime factor: a slot pick (scaled to the number of slots). */
  slots: number[][];
  /** Per level: a random order of the dimensions (temporal, spatial). */
  temporalOrder: string[][];
  spatialOrder: string[][];
  densities: { density: number; hypergeometric: boolean }[];
  /** Per data space, per holding level (outermost first): format choice index (0 = none). */
  formats: number[][];
  safs: StorageSafRecipe[];
  compute: 'none' | 'gating' | 'skipping';
  compat: CompatMode;
}

const primes = (n: number): number[] => {
  const out: number[] = [];
  for (let p = 2; n > 1; p++) while (n % p === 0) (out.push(p), (n /= p));
  return out;
};

/**
 * Format choices (outermost rank first; every rank may flatten all the tensor's dimensions, as in
 * Table 7). 0 = none. Uncompressed formats may sit anywhere; compressed ones have an uncompressed
 * outer rank so the ranks of an uncompressed child fit under it (pre-tiling).
 */
const FORMAT_CHOICES: { ranks: RankFormatName[]; compressed: boolean }[] = [
  { ranks: [], compressed: false },
  { ranks: ['UOP'], compressed: false },
  { ranks: ['UB'], compressed: false },
  { ranks: ['UOP', 'RLE'], compressed: true },
  { ranks: ['UOP', 'CP'], compressed: true },
  { ranks: ['UB', 'B'], compressed: true },
  { ranks: ['UOP', 'B'], compressed: true },
];

export const eyerissRecipe: fc.Arbitrary<EyerissRecipe> = fc.record({
  bounds: fc.record(Object.fromEntries(DIMS.map((d) => [d, fc.constantFrom(...SIZES[d])])) as Record<string, fc.Arbitrary<number>>),
  slots: fc.array(fc.array(fc.nat(1000), { minLength: 6, maxLength: 6 }), { minLength: DIMS.length, maxLength: DIMS.length }),
  temporalOrder: fc.array(fc.shuffledSubarray(DIMS, { minLength: DIMS.length }), { minLength: 6, maxLength: 6 }),
  spatialOrder: fc.array(fc.shuffledSubarray(DIMS, { minLength: DIMS.length }), { minLength: 6, maxLength: 6 }),
  densities: fc.array(
    fc.record({ density: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true })), hypergeometric: fc.boolean() }),
    { minLength: 3, maxLength: 3 },
  ),
  formats: fc.array(fc.array(fc.nat(FORMAT_CHOICES.length - 1), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
  safs: fc.array(
    fc.record({
      level: fc.nat(5),
      kind: fc.constantFrom<'gating' | 'skipping'>('gating', 'skipping'),
      target: fc.nat(2),
      conditionOn: fc.subarray([0, 1, 2], { minLength: 1 }),
    }),
    { maxLength: 2 },
  ),
  compute: fc.constantFrom<'none' | 'gating' | 'skipping'>('none', 'gating', 'skipping'),
  compat: fc.constantFrom<CompatMode>('public', 'micro22'),
});

/** Words of a data space spanned by the given extents (Σ coefficient·(extent − 1) + 1 per rank). */
function tileWords(ds: DataSpace, extents: Record<string, number>): number {
  return ds.projection.reduce((p, rank) => p * (rank.reduce((s, t) => s + t.coefficient * ((extents[t.dimension] ?? 1) - 1), 0) + 1), 1);
}

interface Factor {
  dimension: string;
  value: number;
  /** Slot index: 2·level = temporal loops of that level, 2·level + 1 = its spatial loops. */
  slot: number;
}

/** The mapping: factors per slot, moved outward to DRAM until every fanout and buffer fits. */
function placeFactors(base: Spec, r: EyerissRecipe): Factor[] {
  const storage = base.architecture.storage;
  const dram = storage.length - 1;
  const fanout = (l: number): [number, number] => {
    const inner = l === 0 ? base.architecture.arithmetic : storage[l - 1];
    return [inner.meshX / storage[l].meshX, inner.meshY / storage[l].meshY];
  };
  // Usable slots: every level's temporal loops, and the spatial loops of levels that fan out.
  const slots: number[] = [];
  storage.forEach((_, l) => {
    slots.push(2 * l);
    const [x, y] = fanout(l);
    if (x * y > 1) slots.push(2 * l + 1, 2 * l + 1, 2 * l + 1); // weighted: use the PE array
  });
  const factors: Factor[] = DIMS.flatMap((d, i) => primes(r.bounds[d]).map((value, k) => ({ dimension: d, value, slot: slots[r.slots[i][k % 6] % slots.length] })));
  const toDram = (f: Factor) => (f.slot = 2 * dram);
  const largest = (fs: Factor[]) => fs.reduce((a, b) => (b.value > a.value ? b : a));

  // Spatial slots: one axis has fanout > 1 at each Eyeriss level; its loops must fit it.
  storage.forEach((_, l) => {
    const [x, y] = fanout(l);
    let at = factors.filter((f) => f.slot === 2 * l + 1);
    while (at.length > 0 && at.reduce((p, f) => p * f.value, 1) > Math.max(x, y)) {
      toDram(largest(at));
      at = factors.filter((f) => f.slot === 2 * l + 1);
    }
  });
  // Buffers, innermost first: the tile at a level spans every slot at or below it.
  storage.forEach((level, l) => {
    if (level.size === null) return;
    const capacity = Math.floor(level.size / level.multipleBuffering);
    const kept = base.problem.dataSpaces.filter((ds) => base.mapping.levels[l].keep.includes(ds.name));
    const words = () => {
      const extents: Record<string, number> = {};
      for (const f of factors) if (f.slot <= 2 * l + 1) extents[f.dimension] = (extents[f.dimension] ?? 1) * f.value;
      return kept.reduce((s, ds) => s + tileWords(ds, extents), 0);
    };
    const indexes = (f: Factor) => kept.some((ds) => ds.projection.some((rank) => rank.some((t) => t.dimension === f.dimension)));
    while (kept.length > 0 && words() > capacity) toDram(largest(factors.filter((f) => f.slot <= 2 * l + 1 && indexes(f))));
  });
  return factors;
}

function mappingOf(base: Spec, r: EyerissRecipe, factors: Factor[]): LevelMapping[] {
  const end = (slot: number, d: string) => factors.filter((f) => f.slot === slot && f.dimension === d).reduce((p, f) => p * f.value, 1);
  return base.mapping.levels.map((lm, l): LevelMapping => {
    const temporal = r.temporalOrder[l].map((d): LoopSpec => ({ dimension: d, end: end(2 * l, d) }));
    const order = r.spatialOrder[l].map((d): LoopSpec => ({ dimension: d, end: end(2 * l + 1, d) }));
    const storage = base.architecture.storage;
    const inner = l === 0 ? base.architecture.arithmetic : storage[l - 1];
    // All non-unit spatial loops go along the axis that fans out (X if both do).
    const alongX = inner.meshX / storage[l].meshX > 1;
    const spatial = order.every((s) => s.end === 1) ? { x: [], y: [] } : alongX ? { x: order, y: [] } : { x: [], y: order };
    return { target: lm.target, temporal, spatial, keep: [...lm.keep] };
  });
}

function sparseOf(base: Spec, r: EyerissRecipe): SparseOptimizations | null {
  const storage = base.architecture.storage;
  const dataSpaces = base.problem.dataSpaces;
  const targets = new Map<string, SparseTarget>();
  const target = (name: string): SparseTarget => {
    if (!targets.has(name)) targets.set(name, { name, representationFormat: [], actionOptimization: [], computeOptimization: [] });
    return targets.get(name)!;
  };
  dataSpaces.forEach((ds, i) => {
    const dims = DIMS.filter((d) => ds.projection.some((rank) => rank.some((t) => t.dimension === d)));
    // Levels holding the tensor, outermost first.
    const holding = storage.map((_, l) => l).filter((l) => base.mapping.levels[l].keep.includes(ds.name)).reverse();
    // Supported by the model: a compressed tensor only under a compressed parent, with the same
    // ranks when both are compressed; no format above spatial loops over the tensor's dimensions
    // before the next level holding it (the sparse spatial expansion is not modelled).
    let parent: (typeof FORMAT_CHOICES)[number] | null = null;
    const chosen = holding.map((l, k) => {
      let choice = FORMAT_CHOICES[r.formats[i][k % 3]];
      const below = holding[k + 1] ?? -1;
      const spatialOverTensor = base.mapping.levels
        .slice(below + 1, l + 1)
        .some((lm) => [...lm.spatial.x, ...lm.spatial.y].some((loop) => loop.end > 1 && dims.includes(loop.dimension)));
      if (spatialOverTensor) choice = FORMAT_CHOICES[0];
      if (choice.compressed && parent !== null && !parent.compressed) choice = FORMAT_CHOICES[0];
      if (choice.compressed && parent?.compressed) choice = parent;
      // A bitmask's 1-bit metadata words need metadata storage (Timeloop rejects it elsewhere).
      if (choice.ranks.includes('B') && storage[l].metadataStorageWidth === 0) choice = FORMAT_CHOICES[0];
      parent = choice;
      return choice;
    });
    // A compressed tensor over a compressed child holds the child's ranks plus one of its own.
    const ranks: RankFormatName[][] = chosen.map((c) => c.ranks);
    for (let k = holding.length - 2; k >= 0; k--) if (chosen[k].compressed && chosen[k + 1].compressed) ranks[k] = ['UOP', ...ranks[k + 1]];
    holding.forEach((l, k) => {
      if (ranks[k].length === 0) return;
      const formats = ranks[k].map((format): RankFormat => ({ format, flattenedRankIds: [dims], payloadWordBits: null, metadataWordBits: null }));
      target(storage[l].name).representationFormat.push({ dataSpace: ds.name, ranks: formats });
    });
  });
  for (const s of r.safs) {
    const level = storage[s.level];
    const t = dataSpaces[s.target];
    if (!base.mapping.levels[s.level].keep.includes(t.name)) continue;
    const conditionOn = s.conditionOn.filter((c) => c !== s.target).map((c) => dataSpaces[c].name);
    if (conditionOn.length === 0) continue;
    target(level.name).actionOptimization.push({ type: s.kind, options: [{ target: t.name, conditionOn }] });
  }
  if (r.compute !== 'none') target(base.architecture.arithmetic.name).computeOptimization.push({ type: r.compute });
  return targets.size === 0 ? null : { targets: [...targets.values()] };
}

/** Every storage action an optimization may count, so a random spec never lacks an ERT entry. */
const STORAGE_ERT_ACTIONS: Record<string, number> = {
  read: 1,
  write: 1,
  gated_read: 0.01,
  gated_write: 0.01,
  metadata_read: 0.5,
  metadata_write: 0.5,
  gated_metadata_read: 0.005,
  gated_metadata_write: 0.005,
  decompression_count: 0.02,
  compression_count: 0.02,
  idle: 0.001,
};

/** A random valid Eyeriss spec from a base Table 7 spec (not modified). */
export function eyerissSpec(base: Spec, r: EyerissRecipe): Spec {
  const spec = structuredClone(base);
  spec.problem.bounds = { ...r.bounds };
  spec.problem.dataSpaces.forEach((ds, i) => {
    const d = r.densities[i];
    spec.problem.densities[ds.name] = { distribution: d.hypergeometric ? 'hypergeometric' : 'fixed-structured', density: d.density } as DensitySpec;
  });
  spec.mapping.levels = mappingOf(spec, r, placeFactors(spec, r));
  spec.sparseOptimizations = sparseOf(spec, r);
  for (const level of spec.architecture.storage) {
    // Any level may sit below a compressed parent: let it (de)compress, as Timeloop requires.
    level.decompressionSupported = level.compressionSupported = true;
    const table = spec.ert.components[level.name];
    for (const [action, energy] of Object.entries(STORAGE_ERT_ACTIONS)) if (!(action in table.actions)) table.actions[action] = energy;
  }
  return spec;
}

/** Whether a tensor is formatted at a level, and which levels' SAFs target it, in a spec. */
export function sparseFacts(spec: Spec): { formatted: (level: string, ds: string) => boolean; safTargets: Map<string, string[]> } {
  const targets = spec.sparseOptimizations?.targets ?? [];
  const safTargets = new Map<string, string[]>();
  for (const t of targets) for (const ao of t.actionOptimization) for (const o of ao.options) safTargets.set(o.target, [...(safTargets.get(o.target) ?? []), t.name]);
  return {
    formatted: (level, ds) => targets.some((t) => t.name === level && t.representationFormat.some((f) => f.dataSpace === ds)),
    safTargets,
  };
}
