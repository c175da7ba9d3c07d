/**
 * Once-per-file evaluation of a golden case, cached for its tests. A case whose evaluation fails
 * makes each of its tests fail with the engine's one-line message (never a skip).
 */
import type { FixId } from '../../engine/options.ts';
import type { Result } from '../../engine/result/schema.ts';
import { evaluateCase, type Outcome } from '../../scripts/lib/report/evaluate-case.ts';
import type { GoldenCase, Manifest } from '../../scripts/lib/report/manifest.ts';

/** Memoized evaluation: call `load()` in beforeAll, `result()` in each test. */
export function caseEvaluation(manifest: Manifest, c: GoldenCase, disabledFixes: readonly FixId[] = []) {
  let outcome: Outcome | undefined;
  return {
    async load(): Promise<Outcome> {
      outcome ??= await evaluateCase(manifest, c, disabledFixes);
      return outcome;
    },
    result(): Result {
      if (!outcome) throw new Error(`case ${c.id} was not evaluated (beforeAll did not run)`);
      if (!outcome.ok) throw new Error(`case ${c.id}${disabledFixes.length ? ` with ${disabledFixes.join(', ')} off` : ''} failed to evaluate: ${outcome.error}`);
      return outcome.result;
    },
  };
}
