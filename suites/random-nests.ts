/**
 * Random valid CNN-layer nests for property tests (not a test file): random factorizations of
 * random problem shapes over random levels, permutations, spatial X/Y splits, bypass, strides and
 * dilations, physical meshes (sometimes wider than the fanout), and the reuse ablations.
 */
import fc from 'fast-check';
import type { EvaluateOptions, FixId } from '../engine/options.ts';
import type { DataSpace, LevelMapping, LoopSpec, Spec, StorageLevelSpec } from '../engine/input/types.ts';

const DIMS = ['C', 'M', 'R', 'S', 'N', 'P', 'Q'];
const ABLATIONS: FixId[] = ['halo-fill-reuse', 'bypass-temporal-reuse', 'output-temporal-reuse'];

export interface NestCase {
  levels: number;
  /** Per dimension: factors, each assigned to a slot (level·2 + 0 temporal / 1 spatial). */
  factors: { value: number; slot: number }[][];
  /** Per level: temporal and spatial permutations (indices into DIMS), split point. */
  temporalOrder: number[][];
  spatialOrder: number[][];
  split: number[];
  /** Per level (except the outermost, which keeps everything): bypass bits per data space. */
  bypass: boolean[][];
  /** Extra physical mesh factor (X, Y) per level and for the arithmetic level. */
  meshExtra: [number, number][];
  coefficients: { Wstride: number; Hstride: number; Wdilation: number; Hdilation: number };
  disabled: boolean[];
}

function cnnDataSpaces(c: NestCase['coefficients']): DataSpace[] {
  const t = (dimension: string, coefficient = 1) => ({ dimension, coefficient });
  return [
    { name: 'Weights', readWrite: false, projection: [[t('C')], [t('M')], [t('R')], [t('S')]] },
    {
      name: 'Inputs',
      readWrite: false,
      projection: [[t('N')], [t('C')], [t('R', c.Wdilation), t('P', c.Wstride)], [t('S', c.Hdilation), t('Q', c.Hstride)]],
    },
    { name: 'Outputs', readWrite: true, projection: [[t('N')], [t('M')], [t('Q')], [t('P')]] },
  ];
}

/** Per slot (level·2 + 0 temporal / 1 spatial), per dimension: the loop end. */
function slotEnds(k: NestCase): number[][] {
  const ends = Array.from({ length: k.levels * 2 }, () => new Array<number>(DIMS.length).fill(1));
  k.factors.forEach((fs, d) => fs.forEach((f) => (ends[f.slot % ends.length][d] *= f.value)));
  return ends;
}

/** Rough cost of the step-by-step simulation: 2^(temporal loops with n ≥ 2) × spatial children. */
export function simulationCost(k: NestCase): number {
  const ends = slotEnds(k);
  let temporal = 0;
  let children = 1;
  ends.forEach((e, slot) => {
    if (slot % 2 === 0) temporal += e.filter((n) => n > 1).length;
    else children += e.reduce((p, n) => p * n, 1);
  });
  return 2 ** temporal * children;
}

/** A Spec holding what the nest analysis reads (problem, mapping, meshes), from a random case. */
export function specOf(k: NestCase): Spec {
  const ends = slotEnds(k);
  const bounds = Object.fromEntries(DIMS.map((d, i) => [d, ends.reduce((p, e) => p * e[i], 1)]));
  const dataSpaces = cnnDataSpaces(k.coefficients);
  const loop = (slot: number) => (d: number): LoopSpec => ({ dimension: DIMS[d], end: ends[slot][d] });
  const product = (slot: number, dims: number[]) => dims.reduce((p, d) => p * ends[slot][d], 1);
  const levels: LevelMapping[] = [];
  const fanouts: [number, number][] = [];
  for (let s = 0; s < k.levels; s++) {
    // As the loader does: the first `split` dimensions of the spatial permutation go along X.
    const xDims = k.spatialOrder[s].slice(0, k.split[s]);
    const yDims = k.spatialOrder[s].slice(k.split[s]);
    const fanout: [number, number] = [product(s * 2 + 1, xDims), product(s * 2 + 1, yDims)];
    fanouts.push(fanout);
    levels.push({
      target: `L${s}`,
      temporal: k.temporalOrder[s].map(loop(s * 2)),
      spatial: fanout[0] * fanout[1] > 1 ? { x: xDims.map(loop(s * 2 + 1)), y: yDims.map(loop(s * 2 + 1)) } : { x: [], y: [] },
      keep: s === k.levels - 1 ? dataSpaces.map((ds) => ds.name) : dataSpaces.filter((_, i) => !k.bypass[s][i]).map((ds) => ds.name),
    });
  }
  // meshes[s + 1] is storage level s's mesh, meshes[s] its children's (meshes[0]: arithmetic);
  // a level's children sit on a grid at least as large as its fanout, sometimes larger.
  const meshes: [number, number][] = new Array(k.levels + 1);
  meshes[k.levels] = [1, 1];
  for (let s = k.levels - 1; s >= 0; s--) {
    meshes[s] = [meshes[s + 1][0] * fanouts[s][0] * k.meshExtra[s][0], meshes[s + 1][1] * fanouts[s][1] * k.meshExtra[s][1]];
  }
  const storage = levels.map(
    (_, s) => ({ name: `L${s}`, meshX: meshes[s + 1][0], meshY: meshes[s + 1][1], instances: meshes[s + 1][0] * meshes[s + 1][1] }) as StorageLevelSpec,
  );
  const [ax, ay] = meshes[0];
  return {
    architecture: { storage, arithmetic: { name: 'MACs', instances: ax * ay, meshX: ax, meshY: ay, wordBits: 16 } },
    problem: { name: 'CNN-Layer', dimensions: DIMS, bounds, coefficients: { ...k.coefficients }, dataSpaces, densities: {} },
    mapping: { levels },
    sparseOptimizations: null,
    ert: { components: {} },
    art: { components: {} },
    origin: { files: {} },
  };
}

/** Keeps one oracle run to a few milliseconds. */
const MAX_SIMULATION_COST = 2 ** 14;

export const nestCase: fc.Arbitrary<NestCase> = fc.integer({ min: 2, max: 6 }).chain((levels) => {
  const slot = fc.integer({ min: 0, max: levels * 2 - 1 });
  const perm = fc.shuffledSubarray(DIMS.map((_, i) => i), { minLength: DIMS.length, maxLength: DIMS.length });
  const perLevel = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: levels + 1, maxLength: levels + 1 });
  const coefficient = fc.integer({ min: 1, max: 3 });
  return fc.record({
    levels: fc.constant(levels),
    factors: fc.array(fc.array(fc.record({ value: fc.constantFrom(2, 2, 3, 4, 5, 7), slot }), { maxLength: 3 }), {
      minLength: DIMS.length,
      maxLength: DIMS.length,
    }),
    temporalOrder: perLevel(perm),
    spatialOrder: perLevel(perm),
    split: perLevel(fc.integer({ min: 0, max: DIMS.length })),
    bypass: perLevel(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 })),
    meshExtra: perLevel(fc.tuple(fc.constantFrom(1, 1, 2), fc.constantFrom(1, 1, 2))),
    coefficients: fc.record({ Wstride: coefficient, Hstride: coefficient, Wdilation: coefficient, Hdilation: coefficient }),
    disabled: fc.array(fc.boolean(), { minLength: ABLATIONS.length, maxLength: ABLATIONS.length }),
  });
}).filter((k) => simulationCost(k) <= MAX_SIMULATION_COST);

export const optionsOf = (k: NestCase): EvaluateOptions => ({ disabledFixes: ABLATIONS.filter((_, i) => k.disabled[i]) });

