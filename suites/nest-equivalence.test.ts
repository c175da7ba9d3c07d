/**
 * The closed-form nest analysis (engine/analysis) against the frozen step-by-step simulation it
 * replaced (suites/frozen-simulation): on random valid CNN-layer nests, analyseNest must
 * return DenseCounts deep-equal to the simulation's, including access-matrix entry order.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyseNest } from '../engine/analysis/index.ts';
import type { DenseCounts } from '../engine/analysis/types.ts';
import { FIRST, carryWeights, invocationSteps } from '../engine/analysis/invocations.ts';
import { nestCase, optionsOf, specOf } from './random-nests.ts';
import { simulateNest } from './frozen-simulation/index.ts';

/** Which of the simulation's less common paths a case exercises (so the runs stay meaningful). */
function pathsOf(d: DenseCounts): { links: boolean; mixedMulticast: boolean; sliding: boolean } {
  const tensors = d.levels.flatMap((l) => Object.values(l.tensors));
  return {
    links: tensors.some((t) => t.linkTransfers > 0),
    mixedMulticast: tensors.some((t) => new Set(t.accessMatrixUnmasked.map((c) => c.multicast)).size > 1),
    // Partial reuse: a level receives less than whole tiles (fills not a multiple of the tile).
    sliding: tensors.some((t) => t.tileSize > 0 && t.fills % t.tileSize !== 0),
  };
}

describe('closed-form nest analysis equals the step-by-step simulation', () => {
  test('random CNN-layer nests: factorizations, permutations, X/Y splits, bypass, strides, meshes, ablations', () => {
    const seen = { links: 0, mixedMulticast: 0, sliding: 0 };
    fc.assert(
      fc.property(nestCase, (k) => {
        const spec = specOf(k);
        const expected = simulateNest(spec, optionsOf(k));
        expect(analyseNest(spec, optionsOf(k))).toEqual(expected);
        const paths = pathsOf(expected);
        for (const p of ['links', 'mixedMulticast', 'sliding'] as const) if (paths[p]) seen[p]++;
      }),
      { numRuns: 300 },
    );
    // The generator reaches neighbour links, mixed multicast classes and sliding windows often.
    expect(seen.links).toBeGreaterThan(50);
    expect(seen.mixedMulticast).toBeGreaterThan(10);
    expect(seen.sliding).toBeGreaterThan(15);
  });
});

describe('kinds of invocation step (invocations.ts) against the binary counter they summarize', () => {
  test('weights, predecessors and first positions for random stepped loops', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 6 }), { maxLength: 7 }), (ends) => {
        // Walk every invocation b (bit m = loop m at iteration 1): carry = lowest set bit.
        const byKind = new Map<string, { weight: number; position: number }>();
        const byCarry = ends.map(() => 0);
        let previous: number | null = null;
        for (let b = 0; b < 2 ** ends.length; b++) {
          const carry = b === 0 ? FIRST : Math.log2(b & -b);
          let weight = 1;
          ends.forEach((n, m) => (weight *= b & (1 << m) ? n - 1 : 1));
          const key = `${carry},${previous}`;
          const kind = byKind.get(key) ?? { weight: 0, position: b };
          kind.weight += weight;
          byKind.set(key, kind);
          if (carry !== FIRST) byCarry[carry] += weight;
          previous = carry;
        }
        const steps = invocationSteps(ends);
        const summarized = new Map(steps.map((s) => [`${s.carry},${s.hasPrevious ? s.previous : null}`, { weight: s.weight, position: s.position }]));
        expect(summarized).toEqual(byKind);
        expect(carryWeights(ends)).toEqual(byCarry);
      }),
      { numRuns: 200 },
    );
  });
});
