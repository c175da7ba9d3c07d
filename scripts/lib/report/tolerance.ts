/**
 * The one place the report and the suites meet the shared compare library (scripts/lib/compare):
 * tolerance rules are loaded and applied there; this adapter only gives them the shapes the report
 * model uses (a per-field check and a whole-result comparison).
 */
import { compareResults, loadTolerances, withinTolerance, type Tolerances } from '../compare/index.ts';
import { join } from 'node:path';
import type { Result } from '../../../engine/result/schema.ts';
import { REPO_ROOT } from './manifest.ts';
import type { CompareFn, ToleranceCheck } from './model.ts';

export type { Tolerances };
export { loadTolerances };

export function toleranceCheck(tolerances: Tolerances): ToleranceCheck {
  return (expected, actual, path) => withinTolerance(expected, actual, path, tolerances);
}

export function compareFn(tolerances: Tolerances): CompareFn {
  return (golden: Result, ours: Result) => {
    return compareResults(golden, ours, tolerances);
  };
}

export const TOLERANCES_FILE = join(REPO_ROOT, 'golden', 'tolerances.yaml');
