import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { RankFormatName } from '../engine/input/types.ts';
import { sparseAnalysis } from '../engine/sparse/index.ts';
import { denseCounts, toySpec as spec } from './sparse-fixtures.ts';

const rankFormats = fc.constantFrom<RankFormatName[]>(['UOP', 'RLE'], ['UOP', 'CP'], ['UB', 'B'], ['UB', 'UB'], ['UOP', 'B'], ['RLE', 'RLE']);

describe('property: density 1.0 everywhere gives the dense counts under any sparse optimization', () => {
  test('random counts, formats, gating/skipping, compute SAFs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.tuple(rankFormats, rankFormats, rankFormats),
        fc.constantFrom<'gating' | 'skipping'>('gating', 'skipping'),
        fc.constantFrom<'gating' | 'skipping' | null>('gating', 'skipping', null),
        fc.constantFrom<'public' | 'micro22'>('public', 'micro22'),
        (counts, formats, safKind, computeSaf, compat) => {
          const dense = denseCounts(counts);
          const fine = sparseAnalysis(spec(1, formats, safKind, computeSaf), dense, { compat });
          for (const level of fine.levels) {
            for (const t of Object.values(level.tensors)) {
              const d = dense.levels[level.index].tensors[t.dataSpace];
              expect([t.reads.random, t.fills.random, t.updates.random]).toEqual([d.reads, d.fills, d.updates]);
              expect([t.reads.gated, t.reads.skipped, t.updates.gated, t.updates.skipped]).toEqual([0, 0, 0, 0]);
              expect(t.temporalReductions).toBe(d.temporalReductions);
              expect(t.expectedDensity).toBe(1);
            }
          }
          expect(fine.compute).toMatchObject({ random: 720, gated: 0, skipped: 0 });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the property can fail: density 0.5 under the same optimizations changes the counts', () => {
    const dense = denseCounts([1000]);
    const fine = sparseAnalysis(spec(0.5, [['UOP', 'RLE'], ['UOP', 'RLE'], ['UOP', 'RLE']], 'gating', null), dense);
    expect(fine.levels[3].tensors.Inputs.reads.random).toBe(500);
    expect(fine.levels[1].tensors.Weights.reads.gated).toBe(500);
    expect(fine.compute.random).toBe(360);
  });
});

describe('ablation switches', () => {
  const optimized = () => spec(0.5, [['UOP', 'RLE'], ['UOP', 'RLE'], ['UOP', 'RLE']], 'gating', null);
  test("'sparse-drain-compression' off: formatted tensors move uncompressed, no format traffic", () => {
    const dense = denseCounts([1000]);
    const on = sparseAnalysis(optimized(), dense);
    const off = sparseAnalysis(optimized(), dense, { disabledFixes: ['sparse-drain-compression'] });
    const outOn = on.levels[3].tensors.Outputs;
    const outOff = off.levels[3].tensors.Outputs;
    expect(outOn.updates.random).toBeLessThan(outOn.algorithmic.updates);
    expect(outOff.updates.random).toBe(outOff.algorithmic.updates);
    expect(outOff.formatUpdates.random).toEqual([]);
    expect(off.levels[2].tensors.Inputs.decompressionCount).toBe(0);
    expect(on.levels[2].tensors.Inputs.decompressionCount).toBe(on.levels[2].tensors.Inputs.fills.random);
  });
  test("'gating-at-storage' off: no storage gating and no compute reduction (the saving is absent)", () => {
    const dense = denseCounts([1000]);
    const off = sparseAnalysis(optimized(), dense, { disabledFixes: ['gating-at-storage'] });
    expect(off.levels[1].tensors.Weights.reads).toEqual({ random: off.levels[1].tensors.Weights.algorithmic.reads, gated: 0, skipped: 0 });
    expect(off.compute).toMatchObject({ random: 720, gated: 0, skipped: 0 });
  });
  test('skipping instead of gating: the same counts under skipped', () => {
    const dense = denseCounts([1000]);
    const gated = sparseAnalysis(optimized(), dense).levels[1].tensors.Weights.reads;
    const skipped = sparseAnalysis(spec(0.5, [['UOP', 'RLE'], ['UOP', 'RLE'], ['UOP', 'RLE']], 'skipping', null), dense).levels[1].tensors.Weights.reads;
    expect(skipped).toEqual({ random: gated.random, gated: 0, skipped: gated.gated });
  });
});

describe('several options in one SAF group (§4.1 step 4)', () => {
  const withOptions = (readEnergy: number | null) => {
    const s = spec(0.5, [['UOP', 'RLE'], ['UOP', 'RLE'], ['UOP', 'RLE']], 'gating', null);
    s.problem.densities.Outputs = { distribution: 'fixed-structured', density: 1 };
    s.sparseOptimizations!.targets[1].actionOptimization = [
      { type: 'gating', options: [{ target: 'Weights', conditionOn: ['Inputs'] }, { target: 'Weights', conditionOn: ['Outputs'] }] },
    ];
    if (readEnergy !== null) s.ert.components.weights_spad = { tableName: 'x.weights_spad', actions: { read: readEnergy } };
    return s;
  };
  test('the option with the larger saving wins', () => {
    const fine = sparseAnalysis(withOptions(1), denseCounts([1000]));
    expect(fine.levels[1].tensors.Weights.reads.gated).toBe(500);
  });
  test('equal savings: the later option wins (here: Outputs, never empty)', () => {
    const fine = sparseAnalysis(withOptions(0), denseCounts([1000]));
    expect(fine.levels[1].tensors.Weights.reads.gated).toBe(0);
  });
});
