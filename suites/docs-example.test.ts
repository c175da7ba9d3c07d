/**
 * The worked example of docs/nest-analysis.md §8, checked against the engine so the page cannot
 * drift from the code: a 1-D convolution over two channels on DRAM → Buffer → MAC
 * (suites/docs-example/spec.yaml). Every number below is derived by hand in the page.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { analyseNest } from '../engine/analysis/index.ts';
import { FIRST, carryWeights, invocationSteps } from '../engine/analysis/invocations.ts';
import { windowDeltas } from '../engine/analysis/window-deltas.ts';
import { multicastClasses } from '../engine/analysis/spatial-children.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { simulateNest } from './frozen-simulation/index.ts';

const spec = loadSpecFiles([join(import.meta.dirname, 'docs-example', 'spec.yaml')]);
const SLIDING = { slidingWindow: true, resident: true };

describe('docs/nest-analysis.md §8: the stepped loops above the Buffer boundary (P3 inner, C2 outer)', () => {
  test('invocations: 4 of them in 3 kinds of step, with weights 1, 4, 1', () => {
    expect(invocationSteps([3, 2])).toEqual([
      { carry: FIRST, hasPrevious: false, previous: FIRST, weight: 1, position: 0 },
      { carry: 0, hasPrevious: true, previous: FIRST, weight: 2, position: 1 },
      { carry: 1, hasPrevious: true, previous: 0, weight: 1, position: 2 },
      { carry: 0, hasPrevious: true, previous: 1, weight: 2, position: 3 },
    ]);
    expect(carryWeights([3, 2])).toEqual([4, 1]);
  });

  test('Inputs window (C 1 × W 4): carry 0 slides by 2 (delta 2), carry 1 jumps (full 4)', () => {
    // Steps in (C, W): P advances the window by P's inner extent 2; C by one channel.
    const w = windowDeltas([1, 4], [[0, 2], [1, 0]], SLIDING);
    expect(w.translations).toEqual([0, 2, 1, -2]);
    expect(w.remainders).toEqual([2, 4]);
    expect(w.sizes).toEqual([4, 2, 4]);
    // Σ weight · |delta| = 4 + 4·2 + 1·4.
    expect(w.sizes[0] + 4 * w.sizes[1] + 1 * w.sizes[2]).toBe(16);
  });

  test('Weights (C 1 × R 3) stay resident across P; Outputs (P 2) never overlap', () => {
    expect(windowDeltas([1, 3], [[0, 0], [1, 0]], SLIDING).sizes).toEqual([3, 0, 3]);
    expect(windowDeltas([2], [[2], [0]], SLIDING).sizes).toEqual([2, 2, 2]);
  });

  test('without sliding-window reuse (ablation halo-fill-reuse) every Inputs step refetches the window', () => {
    expect(windowDeltas([1, 4], [[0, 2], [1, 0]], { slidingWindow: false, resident: true }).sizes).toEqual([4, 4, 4]);
  });
});

describe('docs/nest-analysis.md §8: the whole evaluation', () => {
  const r = evaluate(spec);
  const dram = r.storage.DRAM.tensors;
  const buffer = r.storage.Buffer.tensors;

  test('DRAM → Buffer: Inputs 16, Weights 6, Outputs 12 (each a Buffer fill and a DRAM read or update)', () => {
    expect([dram.Inputs.reads.actual, dram.Weights.reads.actual]).toEqual([16, 6]);
    expect([buffer.Inputs.fills.actual, buffer.Weights.fills.actual, buffer.Outputs.fills.actual]).toEqual([16, 6, 12]);
    // Outputs: 12 updates come back; 12 − 6 reads (the first accumulation into each output reads nothing).
    expect([dram.Outputs.updates.actual, dram.Outputs.reads.actual]).toEqual([12, 6]);
  });

  test('Buffer → MAC: one access per MAC per tensor (36), Outputs reads 36 − 6', () => {
    expect(r.arithmetic.stats.actualComputes).toBe(36);
    expect([buffer.Inputs.reads.actual, buffer.Weights.reads.actual, buffer.Outputs.updates.actual, buffer.Outputs.reads.actual]).toEqual([36, 36, 36, 30]);
  });

  test('tiles: Buffer Weights 3, Inputs 4, Outputs 2; DRAM holds the whole tensors 6, 16, 6', () => {
    expect([buffer.Weights, buffer.Inputs, buffer.Outputs].map((t) => t.maxUtilizedDataStorageCapacity)).toEqual([3, 4, 2]);
    expect([dram.Weights, dram.Inputs, dram.Outputs].map((t) => t.maxUtilizedDataStorageCapacity)).toEqual([6, 16, 6]);
  });

  test('with halo-fill-reuse disabled, DRAM Inputs reads are 6 windows of 4', () => {
    expect(evaluate(spec, { disabledFixes: ['halo-fill-reuse'] }).storage.DRAM.tensors.Inputs.reads.actual).toBe(24);
  });

  test('the frozen step-by-step simulation gives the same dense counts', () => {
    expect(analyseNest(spec)).toEqual(simulateNest(spec));
  });
});

describe('docs/nest-analysis.md §5: multicast classes of a spatial run', () => {
  test('a run M2 × P3 (X) seen by Inputs, which M does not move: multicast 2, scatter 3', () => {
    const run = { ends: [2, 3], steps: [[0, 0], [0, 1]], alongX: [true, true], fanout: 6, gridX: 6, gridY: 1 };
    expect(multicastClasses(run)).toEqual({ classes: [{ multicast: 2, scatter: 3 }], groups: 3 });
  });
});
