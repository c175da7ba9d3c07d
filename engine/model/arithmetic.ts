/** Arithmetic level model: computes, cycles and energy from the fine-grained compute counts. */

import type { Spec } from '../input/types.ts';
import type { FineGrainedComputeCounts } from '../analysis/types.ts';
import { COMPUTE_ACTIONS, computeActionEnergies, unmatchedAction } from './energy-table.ts';

export interface ArithmeticModel {
  computeEnergy: number;
  utilizedInstancesMax: number;
  utilizedInstancesAverage: number;
  cycles: number;
  energy: number;
  area: number;
  counts: FineGrainedComputeCounts;
  /** ERT actions charged Timeloop's default (built-in estimate or 0 pJ) for want of an entry. */
  warnings: string[];
}

export function modelArithmetic(spec: Spec, counts: FineGrainedComputeCounts, maxX: number, maxY: number): ArithmeticModel {
  const a = spec.architecture.arithmetic;
  const { energy, matched } = computeActionEnergies(spec);
  const n = { random_compute: counts.random, skipped_compute: counts.skipped, gated_compute: counts.gated };
  let total = 0;
  const warnings: string[] = [];
  for (const op of COMPUTE_ACTIONS) {
    if (n[op] !== 0 && !matched[op]) warnings.push(unmatchedAction(spec, a.name, op, n[op], energy[op]));
    total += n[op] * energy[op];
  }
  return {
    computeEnergy: energy.random_compute,
    utilizedInstancesMax: maxX * maxY,
    utilizedInstancesAverage: counts.averageInstances,
    cycles: Math.ceil((counts.random + counts.gated) / counts.averageInstances),
    energy: total,
    area: (spec.art.components[a.name]?.area ?? 0) * a.instances,
    counts,
    warnings,
  };
}
