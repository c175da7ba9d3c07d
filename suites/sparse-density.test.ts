import { describe, expect, test } from 'vitest';
import { fixedStructured } from '../engine/sparse/density/fixed-structured.ts';
import { hypergeometric, hypergeometricPmf } from '../engine/sparse/density/hypergeometric.ts';
import { expectedOccupancy, occupancyOutcomes, probabilityEmpty } from '../engine/sparse/density/model.ts';
import { createDensityModel } from '../engine/sparse/density/registry.ts';
import { SparsegaugeError } from '../engine/errors.ts';

describe('fixed-structured (docs/sparse.md §1.1)', () => {
  test.each([
    // tensor, S, d, capacity
    ['conv3 Inputs (x one ulp above 63360)', 230400, 0.275, 63361],
    ['conv5 Inputs (x rounds to exactly 39744)', 172800, 0.23, 39744],
    ['conv2 Inputs', 196608, 0.6, 117965],
    ['conv1 Outputs', 1204224, 0.378, 455197],
  ])('%s: max occupancy at confidence 1 is %#', (_name, size, density, capacity) => {
    expect(fixedStructured(density).maxOccupancy(size, 1)).toBe(capacity);
  });

  test('conv3 Inputs: P(63361) ≈ 7.28e-12 and E = 63360.00000000001', () => {
    const m = fixedStructured(0.275);
    const outcomes = occupancyOutcomes(m, 230400);
    expect(outcomes.map((o) => o.k)).toEqual([63360, 63361]);
    expect(outcomes[1].p).toBeCloseTo(7.28e-12, 13);
    const e = expectedOccupancy(m, 230400);
    expect(e).toBe(63360.00000000001);
    expect(e / 230400).toBe(0.275);
  });

  test('conv5 Inputs: integral x gives a single outcome of probability 1', () => {
    expect(occupancyOutcomes(fixedStructured(0.23), 172800)).toEqual([{ k: 39744, p: 1 }]);
  });

  test('conv1 Outputs: E = 455196.672 (mixture)', () => {
    expect(expectedOccupancy(fixedStructured(0.378), 1204224)).toBeCloseTo(455196.672, 6);
  });

  test('P(empty) is 1 − S·d only when S·d < 1; single word: 1 − d', () => {
    const m = fixedStructured(0.6);
    expect(probabilityEmpty(m, { size: 1 })).toBe(1 - 0.6);
    expect(probabilityEmpty(m, { size: 2 })).toBe(0);
  });

  test('a constrained tile uses k_c / S_c', () => {
    const m = fixedStructured(0.5);
    // 3600-word sub-tile of a 230400-word tile holding 63361 non-zeros
    const x = 3600 * (63361 / 230400);
    expect(m.probability({ size: 3600, constraint: { size: 230400, occupancy: 63361 } }, Math.ceil(x))).toBe(x - Math.floor(x));
    expect(probabilityEmpty(m, { size: 1, constraint: { size: 4, occupancy: 1 } })).toBe(0.75);
  });
});

describe('hypergeometric (docs/sparse.md §1.2)', () => {
  const N = 230400;
  const m = hypergeometric(0.275, N);

  test('r = ⌈d·N⌉ = 63361: the whole tensor holds exactly r', () => {
    expect(m.maxOccupancy(N, 1)).toBe(63361);
    expect(expectedOccupancy(m, N)).toBe(63361);
  });

  test('P(scalar empty) ≈ (N − r)/N, as Boost evaluates it (Lanczos, N > 104729)', () => {
    // Boost 1.74 pdf(0; r=63361, n=1, N=230400) printed by g++ on x86-64: 0x1.7332a1907f741p-1.
    const p = probabilityEmpty(m, { size: 1 });
    expect(p).toBe(0.72499565972223234);
    expect(Math.abs(p / ((N - 63361) / N) - 1)).toBeLessThan(1e-13);
  });

  test('pmf sums to 1 and has the hypergeometric mean n·r/N', () => {
    const t = hypergeometricPmf(63361, 3600, N);
    const sum = t.p.reduce((s, x) => s + x, 0);
    expect(sum).toBeCloseTo(1, 12);
    const mean = t.p.reduce((s, x, i) => s + x * (t.kMin + i), 0);
    expect(mean).toBeCloseTo((3600 * 63361) / N, 8);
  });

  test('small exact case: pmf(k; r=2, n=2, N=4) = 1/6, 4/6, 1/6', () => {
    const t = hypergeometricPmf(2, 2, 4);
    expect(t.kMin).toBe(0);
    t.p.forEach((p, i) => expect(p).toBeCloseTo([1 / 6, 4 / 6, 1 / 6][i], 15));
  });

  test("small populations: Boost's long-double factorial pmf, not the exact one", () => {
    // r = 3, n = 2, N = 8: P(0) = 10/28; 6·(1 − P(0)) is 3.8571428571428568 in the reference
    // (golden/oracle fz_hg_small_pmf, weights_spad average instances), not 6·9/14 = 3.857142857142857.
    const p = hypergeometric(0.304, 8).probability({ size: 2 }, 0);
    expect(p).toBe(0.35714285714285715);
    expect(6 * (1 - p)).toBe(3.8571428571428568);
  });
  test("min occupancy follows the reference's uint64/double arithmetic", () => {
    const small = hypergeometric(0.5, 10); // r = 5 (a double in the reference)
    expect(small.minOccupancy(5)).toBe(0); // tile ≤ N − r
    // tile < N: tile − N wraps modulo 2^64; ⌊(2^64 + r)/8·8⌋ = 2^64 converts to 0 on x86-64
    expect(small.minOccupancy(8)).toBe(0);
    expect(small.minOccupancy(10)).toBe(5); // the whole tensor: ⌊5/10·10⌋ = r
    // Oracle evidence (golden/oracle fz_hg_wholetensor_glb, fz_hg1_glb_empty): a whole-tensor tile under a
    // formatted parent keeps its instance; a smaller all-dense tile (min 0, P(k = tile) = 1) does not.
    const full = hypergeometric(1, 112);
    expect(full.minOccupancy(8)).toBe(0);
  });
});

describe('registry', () => {
  test('a bare density number is fixed-structured', () => {
    expect(createDensityModel({ distribution: 'fixed-structured', density: 0.4 }, { dataSpace: 'Inputs', tensorSize: 10 }).distribution).toBe(
      'fixed-structured',
    );
  });
  test('an unknown distribution is unsupported and names the data space', () => {
    try {
      createDensityModel({ distribution: 'banded', density: 0.4 }, { dataSpace: 'Weights', tensorSize: 10, file: 'p.yaml' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SparsegaugeError);
      const err = e as SparsegaugeError;
      expect(err.kind).toBe('unsupported');
      expect(err.message).toContain('Weights');
      expect(err.field).toBe('problem.instance.densities.Weights.distribution');
      expect(err.file).toBe('p.yaml');
    }
  });
});
