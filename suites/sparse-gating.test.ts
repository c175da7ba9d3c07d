import { describe, expect, test } from 'vitest';
import type { DenseCounts, NestLoop } from '../engine/analysis/types.ts';
import type { DataSpace } from '../engine/input/types.ts';
import { fixedStructured } from '../engine/sparse/density/fixed-structured.ts';
import { hypergeometric } from '../engine/sparse/density/hypergeometric.ts';
import { safProbability, resolveTargetLevel } from '../engine/sparse/gating/condition.ts';
import { applyLocalSaf, reduceByOuterSaf, type WorkingCounts } from '../engine/sparse/gating/impact.ts';
import { cumulativeBoxes } from '../engine/sparse/projection.ts';
import { compressedAccesses } from '../engine/sparse/compression.ts';
import { computeBreakdown, round6 } from '../engine/sparse/compute.ts';
import { SparsegaugeError } from '../engine/errors.ts';

const ds = (name: string, ranks: string[][], readWrite = false): DataSpace => ({
  name,
  readWrite,
  projection: ranks.map((r) => r.map((d) => ({ dimension: d, coefficient: 1 }))),
});
const Weights = ds('Weights', [['M'], ['C'], ['R']]);
const Inputs = ds('Inputs', [['C'], ['P', 'R']]);
const dims = ['M', 'C', 'P', 'R'];

/**
 * Eyeriss-like skeleton: psum_spad (0, keeps Outputs, temporal M4 and unit loops), weights_spad
 * (1, keeps Weights, temporal R3), glb (2, spatial-x M2 then temporal C8 P5), DRAM (3).
 */
function skeleton(): DenseCounts {
  const loop = (level: number, dimension: string, end: number, kind: NestLoop['kind'] = 'temporal'): NestLoop => ({ dimension, start: 0, end, kind, level });
  const perLevel: NestLoop[][] = [
    [loop(0, 'M', 4), loop(0, 'C', 1), loop(0, 'P', 1), loop(0, 'R', 1)],
    [loop(1, 'R', 3), loop(1, 'M', 1), loop(1, 'C', 1), loop(1, 'P', 1)],
    [loop(2, 'M', 2, 'spatial-x'), loop(2, 'C', 8), loop(2, 'P', 5), loop(2, 'M', 1), loop(2, 'R', 1)],
    [loop(3, 'M', 1), loop(3, 'C', 1), loop(3, 'P', 1), loop(3, 'R', 1)],
  ];
  const keeps = [['Outputs'], ['Weights'], ['Inputs', 'Outputs'], ['Weights', 'Inputs', 'Outputs']];
  const parentChild: Record<string, (number | null)[][]> = {
    // [level] -> [parent, child]
    Weights: [[null, null], [3, null], [null, null], [null, 1]],
    Inputs: [[null, null], [null, null], [3, null], [null, 2]],
    Outputs: [[2, null], [null, null], [3, 0], [null, 2]],
  };
  return {
    completeNest: perLevel.flat(),
    nest: perLevel.flat().filter((l) => l.end > 1),
    levels: perLevel.map((completeLoops, index) => ({
      name: ['psum_spad', 'weights_spad', 'shared_glb', 'DRAM'][index],
      index,
      completeLoops,
      loops: completeLoops.filter((l) => l.end > 1),
      tensors: Object.fromEntries(
        ['Weights', 'Inputs', 'Outputs'].map((t) => [
          t,
          { dataSpace: t, kept: keeps[index].includes(t), tileSize: keeps[index].includes(t) ? 10 : 0, parentLevel: parentChild[t][index][0], childLevel: parentChild[t][index][1] },
        ]),
      ),
    })),
  } as unknown as DenseCounts;
}

function working(reads: number, readWrite = false, updates = 0): WorkingCounts {
  return {
    readWrite,
    algorithmicUpdates: updates,
    tileSize: 1,
    reads: { random: reads, gated: 0, skipped: 0 },
    fills: { random: 7, gated: 0, skipped: 0 },
    updates: { random: updates, gated: 0, skipped: 0 },
    formatReads: { random: [], gated: [], skipped: [] },
    formatFills: { random: [], gated: [], skipped: [] },
    formatUpdates: { random: [], gated: [], skipped: [] },
    temporalReductions: updates,
    hasMetadata: false,
  };
}

const probabilityFor = (dInputs: number, float32Effectual = false, model = fixedStructured(dInputs)) =>
  safProbability({
    dense: skeleton(),
    declaredLevel: 1,
    target: Weights,
    conditionOn: [Inputs],
    densities: { Inputs: model, Weights: fixedStructured(1), Outputs: fixedStructured(1) },
    blockSizes: [1, 1, 4, 4],
    dimensionOrder: dims,
    float32Effectual,
    boxes: cumulativeBoxes(skeleton().completeNest),
    field: 'f',
  });

describe('storage SAF probability (§4.1)', () => {
  test('weights_spad Weights on Inputs: the condition tile is one Inputs element, p = 1 − d_I', () => {
    const r = probabilityFor(0.275);
    expect(r.targetLevel).toBe(1);
    expect(r.probability).toBe(1 - (1 - (1 - (0.275 - 0))));
  });
  test('a SAF declared at a level that bypasses T acts on the next outer keeper', () => {
    expect(resolveTargetLevel(skeleton(), 0, 'Weights', 'f')).toBe(1);
    expect(resolveTargetLevel(skeleton(), 2, 'Weights', 'f')).toBe(3);
  });
  test('no keeper at or above: a mapping error naming the field', () => {
    const d = skeleton();
    (d.levels[3].tensors.Weights as { tileSize: number }).tileSize = 0;
    expect(() => resolveTargetLevel(d, 2, 'Weights', 'x.y')).toThrow(SparsegaugeError);
  });
  test('a spatial target loop widens the condition tile (glb Inputs on Weights: M2 spatial)', () => {
    // Inputs at glb: child none (for this skeleton) → scan from level 0; first loop pair temporal → one element,
    // then the spatial M2 above it at level 2 widens the Weights condition tile to 2 words: P(empty) = 0 for d ≥ 0.5.
    const r = safProbability({
      dense: skeleton(),
      declaredLevel: 2,
      target: Inputs,
      conditionOn: [Weights],
      densities: { Inputs: fixedStructured(1), Weights: fixedStructured(0.25), Outputs: fixedStructured(1) },
      blockSizes: [1, 1, 1, 1],
      dimensionOrder: dims,
      float32Effectual: false,
      boxes: cumulativeBoxes(skeleton().completeNest),
      field: 'f',
    });
    expect(r.probability).toBe(1 - (1 - (1 - 2 * 0.25)));
  });
});

describe('gated counts and computes (§4.2–§4.4)', () => {
  test.each([
    // case, d_I, R, gated, actual, computes, actual computes
    ['conv3', 0.275, 3833856, 2779545, 1054311, 598081536, 164472423],
    ['conv4', 0.207, 2875392, 2280185, 595207, 448561152, 92852159],
    ['conv5', 0.23, 1916928, 1476034, 440894, 299040768, 68779377],
    ['conv2 (public)', 0.6, 6881280, 2752512, 4128768, 963379200, 578027520],
  ])('%s', (_name, dI, R, gated, actual, C, actualC) => {
    const p = probabilityFor(dI).probability;
    const w = working(R);
    applyLocalSaf(w, p, 'gated', 0);
    expect([w.reads.gated, w.reads.random, w.fills.random]).toEqual([gated, actual, 7]);
    expect(C - Math.floor(C * p)).toBe(actualC);
  });
  test('micro22 (H4): conv2 gives 2752511/4128769 and the MACs stay 578027520', () => {
    const p = probabilityFor(0.6, true).probability;
    const w = working(6881280);
    applyLocalSaf(w, p, 'gated', 0);
    expect([w.reads.gated, w.reads.random]).toEqual([2752511, 4128769]);
    expect(963379200 - Math.floor(963379200 * round6(p))).toBe(578027520);
  });
  test.each([
    ['conv3', 0.275, 3833856, 2779545, 598081536, 164472423],
    ['conv4', 0.207, 2875392, 2280185, 448561152, 92852159],
    ['conv5', 0.23, 1916928, 1476034, 299040768, 68779377],
  ])('micro22 leaves %s unchanged', (_name, dI, R, gated, C, actualC) => {
    const p = probabilityFor(dI, true).probability;
    const w = working(R);
    applyLocalSaf(w, p, 'gated', 0);
    expect(w.reads.gated).toBe(gated);
    expect(C - Math.floor(C * round6(p))).toBe(actualC);
  });
  test('read-write targets gate ⌈R·p⌉ reads, ⌊U·p⌋ updates and rescale temporal reductions', () => {
    const w = working(10, true, 10);
    applyLocalSaf(w, 0.25, 'skipped', 0);
    expect([w.reads.skipped, w.updates.skipped, w.temporalReductions]).toEqual([3, 2, 8]);
    expect(w.reads.gated).toBe(0);
  });
  test('an outer SAF removes ⌊x·p⌋ from inner counts', () => {
    const c = { fills: 10, reads: 9, updates: 0, formatFills: [], formatReads: [], formatUpdates: [] };
    reduceByOuterSaf(c, 0.5, false, 0);
    expect([c.fills, c.reads]).toEqual([5, 5]);
  });
  test('[oracle run] hypergeometric Inputs: gated 2779528, computes 164475019', () => {
    const p = probabilityFor(0.275, false, hypergeometric(0.275, 230400)).probability;
    expect(Math.floor(3833856 * p)).toBe(2779528);
    expect(598081536 - Math.floor(598081536 * p)).toBe(164475019);
  });
});

describe('compression impact (§3.1, §9)', () => {
  test.each([
    ['conv1 DRAM Outputs updates', 1204224, 455196.672, 1204224, 455197, 455197],
    ['conv2 DRAM Inputs reads', 1769472, 117964.8, 196608, 1061684, 1061684],
    ['conv3 DRAM Inputs reads', 1382400, 63360.00000000001, 230400, 380160, 380161],
    ['conv4 DRAM Inputs reads', 1036800, 35769.6, 172800, 214618, 214618],
    ['conv5 DRAM Inputs reads', 691200, 39744, 172800, 158976, 158976],
    ['[oracle run] hypergeometric conv3 Inputs', 1382400, 63361, 230400, 380166, 380166],
  ])('%s: public %#, micro22', (_n, X, E, S, pub, micro) => {
    expect(compressedAccesses(X, E, S, false)).toBe(pub);
    expect(compressedAccesses(X, E, S, true)).toBe(micro);
  });
  test('[oracle run] public: E/S one ulp above 1 gives X + 1 (not capped)', () => {
    // 1-word tile at density 0.45 under a formatted parent: E = 0.45 / (1 − 0.55) = 1 + 2^-52;
    // Timeloop prints 65 actual reads of 64 and 5 fills of 4 (golden/oracle fz_clampA_1word_d045).
    const E = 0.45 / (1 - 0.55);
    expect(E).toBe(1 + 2 ** -52);
    expect(compressedAccesses(64, E, 1, false)).toBe(65);
    expect(compressedAccesses(4, E, 1, false)).toBe(5);
  });
});

describe('negative effective SAF share (an outer SAF removing more than the local one)', () => {
  test('[oracle run] the local SAF un-gates: negative skipped counts, more actual accesses', () => {
    // Effective share 1 − (1 − 0.52)/(1 − 0.82) < 0: Timeloop's uint64 deltas wrap, it prints
    // the skipped counts as 2^64 − k (golden/oracle fz_clampB_negative_share); ours keeps −k.
    const w = working(100, true, 100);
    applyLocalSaf(w, 1 - (1 - 0.52) / (1 - 0.82), 'skipped', 0);
    expect(w.reads.skipped).toBe(-166);
    expect(w.reads.random).toBe(266);
    expect(w.updates.skipped).toBe(-167);
  });
});

describe('compute gating/skipping (§5)', () => {
  const dense = (d: number) => ({ density: d, hasMetadata: false, storageGatedEmptyProbability: null });
  test('no compute SAF, no absent operands: everything random', () => {
    expect(computeBreakdown(1000, dense(0.5), dense(0.4), { gating: false, skipping: false })).toEqual({ random: 1000, gated: 0, skipped: 0 });
  });
  test('gating: only (nz, nz) is random', () => {
    expect(computeBreakdown(1000, dense(0.5), dense(0.4), { gating: true, skipping: false })).toEqual({ random: 200, gated: 800, skipped: 0 });
  });
  test('skipping with a formatted operand: absent pairs skipped, nothing gated', () => {
    const a = { density: 0.5, hasMetadata: true, storageGatedEmptyProbability: null };
    expect(computeBreakdown(1000, a, dense(1), { gating: false, skipping: true })).toEqual({ random: 500, gated: 0, skipped: 500 });
  });
  test('conv3: Weights storage-gated on Inputs leaves every remaining compute random', () => {
    const w = { density: round6(0.385), hasMetadata: false, storageGatedEmptyProbability: round6(0.725) };
    expect(computeBreakdown(164472423, dense(0.275), w, { gating: false, skipping: false }).random).toBe(164472423);
  });
  test('inconsistent densities under gating are a value error', () => {
    const w = { density: 1, hasMetadata: false, storageGatedEmptyProbability: 0.9 };
    expect(() => computeBreakdown(10, dense(0.5), w, { gating: true, skipping: false })).toThrow(SparsegaugeError);
  });
});
