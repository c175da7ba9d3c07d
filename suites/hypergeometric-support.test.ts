/**
 * Hypergeometric occupancy sums on large tiles (issue 12 item 5, issue 10 class 2): only the
 * occupancies whose P(k) is non-zero as a double are visited, which gives the same double as
 * Timeloop's sum over the whole support (a zero term adds nothing); the search for them costs
 * O(log n) whatever the tile, and a tile with too many non-negligible occupancies is refused.
 */
import { describe, expect, test } from 'vitest';
import { boostHypergeometricPdf, LANCZOS_POPULATION } from '../engine/sparse/density/boost-hypergeometric.ts';
import { hypergeometric, MAX_OCCUPANCY_OUTCOMES } from '../engine/sparse/density/hypergeometric.ts';
import { logFactorial, nonZeroSupport } from '../engine/sparse/density/hypergeometric-support.ts';
import { expectedOccupancy, occupancyOutcomes } from '../engine/sparse/density/model.ts';
import { isSparsegaugeError } from '../engine/errors.ts';

/** Deterministic draws (a linear congruential generator): the same cases on every run. */
function draws(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Timeloop's sum: Σ P(k)·k over every k of the support, increasing. */
function fullSum(r: number, n: number, N: number): { sum: number; nonZero: number[] } {
  let sum = 0;
  const nonZero: number[] = [];
  for (let k = Math.max(0, n + r - N); k <= Math.min(n, r); k++) {
    const p = boostHypergeometricPdf(k, r, n, N);
    if (p !== 0) nonZero.push(k);
    sum += p * k;
  }
  return { sum, nonZero };
}

describe('ln k! (the bound behind the support)', () => {
  test('matches the summed logarithms where both are exact enough', () => {
    let direct = 0;
    for (let k = 1; k <= 5000; k++) {
      direct += Math.log(k);
      expect(Math.abs(logFactorial(k) - direct)).toBeLessThanOrEqual(1e-12 * direct + 1e-12);
    }
  });
});

describe('the non-zero support is exactly where Boost gives a non-zero double', () => {
  const next = draws(20261204);
  const cases: [number, number, number][] = [
    [77876, 300, 259584], // conv3 Outputs at density 0.3, a 300-word tile
    [63361, 250, 230400], // conv3 Inputs at 0.275
    [5, 200, 1000000], // very sparse: the support starts at 0
    [999990, 220, 1000000], // very dense: the support ends at the tile
  ];
  for (let i = 0; i < 6; i++) {
    const N = LANCZOS_POPULATION + 1 + Math.floor(next() * 4e9);
    const r = 1 + Math.floor(next() * (N - 1));
    cases.push([r, 1 + Math.floor(next() * 250), N]);
  }
  for (const [r, n, N] of cases) {
    test(`r=${r} n=${n} N=${N}: every skipped k is 0, and the sum over the support is the full sum, bit for bit`, () => {
      const { sum, nonZero } = fullSum(r, n, N);
      const [first, last] = nonZeroSupport(r, n, N);
      expect(nonZero.length).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(nonZero[0]);
      expect(last).toBeGreaterThanOrEqual(nonZero[nonZero.length - 1]);
      let partial = 0;
      for (let k = first; k <= last; k++) partial += boostHypergeometricPdf(k, r, n, N) * k;
      expect(Object.is(partial, sum)).toBe(true);
    });
  }
  test('the model’s expected occupancy equals the full sum (a 400-word tile of a 150000-word tensor)', () => {
    const model = hypergeometric(0.37, 150000);
    const r = Math.ceil(0.37 * 150000);
    expect(Object.is(expectedOccupancy(model, 400), fullSum(r, 400, 150000).sum)).toBe(true);
  });
});

describe('large tiles cost what their non-negligible occupancies cost, not the tile', () => {
  test('a million-word tile of a sparse billion-word tensor: a few hundred outcomes, not 100001 evaluations', () => {
    const model = hypergeometric(1e-4, 1e9);
    const outcomes = occupancyOutcomes(model, 1e6);
    expect(outcomes.length).toBeGreaterThan(50);
    expect(outcomes.length).toBeLessThan(2000);
    const [first, last] = model.outcomeRange!(1e6);
    expect(outcomes[0].k).toBeGreaterThanOrEqual(first);
    expect(outcomes[outcomes.length - 1].k).toBeLessThanOrEqual(last);
    // The mean is n·r/N = 100: the visited occupancies lie around it.
    expect(first).toBeLessThan(100);
    expect(last).toBeGreaterThan(100);
  });
  test(`a tile with more than ${MAX_OCCUPANCY_OUTCOMES} non-negligible occupancies is refused, naming the density`, () => {
    const model = hypergeometric(0.3, 2 ** 50, { dataSpace: 'Inputs', file: 'problem.yaml' });
    let error: unknown;
    try {
      occupancyOutcomes(model, 2 ** 45);
    } catch (e) {
      error = e;
    }
    expect(isSparsegaugeError(error)).toBe(true);
    if (!isSparsegaugeError(error)) return;
    expect({ kind: error.kind, field: error.field, file: error.file }).toEqual({
      kind: 'unsupported',
      field: 'problem.instance.densities.Inputs',
      file: 'problem.yaml',
    });
    expect(error.message).toContain('non-negligible outcomes');
  });
});
