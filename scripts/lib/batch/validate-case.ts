/** One validate evaluation (a golden case, with some fixes switched off) as a batch task. */
import type { SourceCache } from '../../../engine/input/source-cache.ts';
import type { FixId } from '../../../engine/options.ts';
import { evaluateCase, type Outcome } from '../report/evaluate-case.ts';
import type { GoldenCase, Manifest } from '../report/manifest.ts';
import type { CompareFn } from '../report/model.ts';
import { runStatusCase, type StatusRun } from '../report/status-case.ts';
import { compareFn, loadTolerances, TOLERANCES_FILE } from '../report/tolerance.ts';

export interface ValidateTask {
  manifest: Manifest;
  case: GoldenCase;
  disabledFixes: FixId[];
}

export interface ValidateOutcome {
  outcome: Outcome;
  /** Wall time of this evaluation (spec load + engine), in its thread. */
  ms: number;
}

export async function validateCase(task: ValidateTask, cache: SourceCache): Promise<ValidateOutcome> {
  const started = performance.now();
  const outcome = await evaluateCase(task.manifest, task.case, task.disabledFixes, { readSource: cache.read });
  return { outcome, ms: performance.now() - started };
}

export interface StatusTask {
  manifest: Manifest;
  case: GoldenCase;
}

/** The tolerances file read once per thread: comparison functions cannot be sent to a worker. */
let compare: CompareFn | undefined;

/** One case of a status suite (golden/corpus), verdict and published-output comparison included. */
export function statusCase(task: StatusTask, cache: SourceCache): Promise<StatusRun> {
  compare ??= compareFn(loadTolerances(TOLERANCES_FILE));
  return runStatusCase(task.manifest, task.case, compare, { readSource: cache.read });
}
