/**
 * Test oracle, frozen: the step-by-step nest simulation (2^k working-set evaluations, every spatial
 * child enumerated, BoxSet subtraction) that engine/analysis/deltas.ts replaced with a closed form.
 * Only the delta analysis is frozen here; nest building, collapsing and assembly are the engine's,
 * so suites/nest-equivalence.test.ts compares exactly the part that was rewritten. Do not optimize.
 */
import type { Spec } from '../../engine/input/types.ts';
import type { EvaluateOptions } from '../../engine/options.ts';
import type { DenseCounts } from '../../engine/analysis/types.ts';
import { analyseNest } from '../../engine/analysis/index.ts';
import { analyseDeltas as simulateDeltas } from './deltas.ts';

export function simulateNest(spec: Spec, options: EvaluateOptions = {}): DenseCounts {
  return analyseNest(spec, options, simulateDeltas);
}
