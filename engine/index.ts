/**
 * The engine's programmatic API: evaluate(spec, options) → Result.
 * Spec → nest analysis (dense counts) → sparse analysis (fine-grained counts) → level models →
 * Result, each step a pure function.
 */

import type { Spec } from './input/types.ts';
import type { EvaluateOptions } from './options.ts';
import type { Result } from './result/schema.ts';
import { analyseNest } from './analysis/index.ts';
import { sparseAnalysis } from './sparse/index.ts';
import { modelArithmetic } from './model/arithmetic.ts';
import { modelStorageLevel } from './model/storage.ts';
import { modelNetworks } from './model/network.ts';
import { operationalIntensity, summarize } from './model/summary.ts';
import { buildResult } from './result/build.ts';
import { locateError } from './input/locate.ts';
import { compatBehaviours, DEFAULT_COMPAT_MODE } from './compat-modes.ts';
import { checkResultExact } from './result/exactness.ts';
import { checkCountBound } from './input/count-bound.ts';

export type { EvaluateOptions } from './options.ts';

export function evaluate(spec: Spec, options: EvaluateOptions = {}): Result {
  try {
    return evaluateSpec(spec, options);
  } catch (e) {
    throw locateError(spec.origin, e);
  }
}

function evaluateSpec(spec: Spec, options: EvaluateOptions): Result {
  // Counts are exact or refused: a bound before evaluating, every count checked after.
  checkCountBound(spec);
  const disabled = new Set(options.disabledFixes ?? []);
  const compat = options.compat ?? DEFAULT_COMPAT_MODE;
  const behaviours = compatBehaviours(compat);
  const dense = analyseNest(spec, options);
  const fine = sparseAnalysis(spec, dense, { disabledFixes: options.disabledFixes, compat });
  const arithmetic = modelArithmetic(spec, fine.compute, dense.compute.maxXExpansion, dense.compute.maxYExpansion);
  const storage = spec.architecture.storage.map((ls, s) =>
    modelStorageLevel(spec, ls, dense.levels[s], fine.levels[s].tensors, arithmetic.cycles, {
      // Ablation 'bandwidth-throttling': cycles are the compute cycles, whatever the traffic.
      throttling: !disabled.has('bandwidth-throttling'),
      v3ErtActionNames: behaviours.v3ErtActionNames,
    }),
  );
  const networks = modelNetworks(spec, dense, behaviours.preciseMulticastHops);
  const networkEnergy: Record<string, number> = {};
  for (const name in networks) {
    let energy = 0;
    for (const ds in networks[name].tensors) {
      const t = networks[name].tensors[ds];
      energy = energy + t.energyTotal + t.linkTransferEnergyTotal + t.spatialReductionEnergyTotal;
    }
    networkEnergy[name] = energy;
  }
  const summaryInputs = {
    spec,
    arithmetic,
    storage,
    networkEnergy,
    firstReadElision: !disabled.has('output-temporal-reuse'),
    sparseLayout: spec.sparseOptimizations !== null,
    algorithmicLevelAccesses: behaviours.operationalIntensityFromAlgorithmicAccesses,
  };
  const oi = operationalIntensity(summaryInputs);
  const result = buildResult({
    spec,
    dense,
    arithmetic,
    storage,
    networks,
    operationalIntensity: oi,
    summary: summarize(summaryInputs, oi),
    compat,
  });
  checkResultExact(result, spec.origin);
  return result;
}
