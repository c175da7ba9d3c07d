/**
 * The closed-form nest analysis (engine/analysis) against the frozen step-by-step simulation it
 * replaced (suites/oracle/nest-simulation): on random valid CNN-layer nests, analyseNest must
 * return DenseCounts deep-equal to the simulation's, including access-matrix entry order.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyseNest } from '../engine/analysis/index.ts';
import { nestCase, optionsOf, specOf } from './random-nests.ts';
import { simulateNest } from './oracle/nest-simulation/index.ts';

describe('closed-form nest analysis equals the step-by-step simulation', () => {
  test('random CNN-layer nests: factorizations, permutations, X/Y splits, bypass, strides, meshes, ablations', () => {
    fc.assert(
      fc.property(nestCase, (k) => {
        const spec = specOf(k);
        expect(analyseNest(spec, optionsOf(k))).toEqual(simulateNest(spec, optionsOf(k)));
      }),
      { numRuns: 300 },
    );
  });
});
