/**
 * Timeloop's extrapolated invocation sequence of one loop, summarized by kind of step.
 *
 * Above a loop, every temporal loop with n ≥ 2 runs iteration 0 and iteration 1 only, iteration 1
 * standing for the other n − 1. So the loop is invoked once per binary vector b over those K loops
 * (innermost first), in counter order, and an invocation weighs Π over set bits of n − 1. Between
 * consecutive invocations the working set moves by what the lowest set bit of the new b says (its
 * "carry": that loop advanced, every loop inside it went back from iteration 1 to 0).
 *
 * Every rule of the analysis looks at one invocation and the one before it, and the carry of the
 * one before is determined: an invocation with carry j ≥ 1 follows one with carry 0 (b − 1 is odd),
 * and one with carry 0 follows the first invocation (b = 1) or one with carry j′ (the lowest set bit
 * of b − 1). So the 2^K invocations fall into 2K + 1 kinds of step, each with a closed-form total
 * weight and a first position in the sequence.
 */

/** Carry of the very first invocation (b = 0). */
export const FIRST = -1;

export interface InvocationStep {
  /** Carry of the invocation (FIRST for b = 0). */
  carry: number;
  /** Whether an invocation comes before it (all but b = 0), and that one's carry. */
  hasPrevious: boolean;
  previous: number;
  /** Σ of the weights of the invocations of this kind. */
  weight: number;
  /** Position (b) of the first invocation of this kind. */
  position: number;
}

/** Σ of the weights of the invocations with carry m, per m (the first invocation weighs 1). */
export function carryWeights(ends: readonly number[]): number[] {
  const weights = new Array<number>(ends.length);
  let above = 1;
  for (let j = ends.length - 1; j >= 0; j--) {
    weights[j] = (ends[j] - 1) * above;
    above *= ends[j];
  }
  return weights;
}

/** `ends[m]`: n of the m-th temporal loop above with n ≥ 2, innermost first. */
export function invocationSteps(ends: readonly number[]): InvocationStep[] {
  const k = ends.length;
  // above[j] = Π_{l ≥ j} n_l; above[j + 1] is the total weight of the bits outside loop j.
  const above = new Array<number>(k + 1);
  above[k] = 1;
  for (let j = k - 1; j >= 0; j--) above[j] = above[j + 1] * ends[j];
  const steps: InvocationStep[] = [{ carry: FIRST, hasPrevious: false, previous: FIRST, weight: 1, position: 0 }];
  if (k === 0) return steps;
  steps.push({ carry: 0, hasPrevious: true, previous: FIRST, weight: ends[0] - 1, position: 1 });
  for (let j = 1; j < k; j++) {
    // b = …1 0…0 (j zeros): bit j set, the bits inside it clear, the bits outside free.
    steps.push({ carry: j, hasPrevious: true, previous: 0, weight: (ends[j] - 1) * above[j + 1], position: 2 ** j });
    // b = …1 0…0 1: bit 0 and bit j set, the bits between clear.
    steps.push({ carry: 0, hasPrevious: true, previous: j, weight: (ends[0] - 1) * (ends[j] - 1) * above[j + 1], position: 2 ** j + 1 });
  }
  return steps;
}
