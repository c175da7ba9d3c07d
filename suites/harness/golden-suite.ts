/**
 * `defineGoldenSuite(name)`: the per-case, per-metric tests for one golden suite
 * (golden/<name>/cases.yaml). Test names read `<suite> › <case label> [compat] › <level> ›
 * <tensor> › <count>` (the label is `layer kind`, or the case id), then one full comparison of
 * every golden field. Each case is evaluated once (beforeAll) on the project's own spec in the
 * compat mode its manifest entry records.
 *
 * When the manifest declares `reference_inputs: true`, each case also checks that the reference run
 * dir's own inputs, unchanged, evaluate to the same result as the project spec. A suite that commits
 * only reference outputs declares `reference_inputs: false` and has no such test (its manifest
 * header says how that equivalence was established).
 *
 * Suites of published run folders (golden/corpus) evaluate each case from the reference run dir's own
 * inputs (`case_spec_root`): without the reference root beside the clone every case is skipped, the
 * test name saying why. A case the reference build refuses (`expect: refused`) must be refused with a
 * positioned error naming the same cause. A case listed in the suite's known-gaps.yaml instead checks
 * that it is still exactly that gap (see scripts/lib/report/known-gaps.ts).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import type { Result } from '../../engine/result/schema.ts';
import { evaluateSpec, loadReferenceSpec } from '../../scripts/lib/report/evaluate-case.ts';
import { formatDiscrepancy } from '../../scripts/lib/compare/index.ts';
import { compareFn, loadTolerances, TOLERANCES_FILE } from '../../scripts/lib/report/tolerance.ts';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { caseVerdict } from '../../scripts/lib/report/case-status.ts';
import { gapStillHolds, loadKnownGaps } from '../../scripts/lib/report/known-gaps.ts';
import { REPO_ROOT } from '../../scripts/lib/report/manifest.ts';
import { caseTitle, loadSuites } from './cases.ts';
import { caseEvaluation } from './evaluation.ts';
import { computeChecks, countChecks, levelEnergyChecks, totalChecks, type Check } from './metrics.ts';
import './matcher.ts';

export function defineGoldenSuite(name: string): void {
  const suite = loadSuites(name)[0];
  describe(name, () => {
    test('manifest exists and lists cases', () => {
      expect(suite, `no golden/${name}/cases.yaml`).toBeDefined();
      expect(suite!.cases.length).toBeGreaterThan(0);
    });
    if (!suite) return;
    const tolerances = loadTolerances(TOLERANCES_FILE);
    // Loading validates the list (every entry names a case of the manifest, once, with a reason).
    const gaps = loadKnownGaps(suite.manifest);
    const inputsHere = !suite.manifest.specFromReference || existsSync(suite.manifest.referenceRoot);
    const rootShown = relative(REPO_ROOT, suite.manifest.referenceRoot);

    // Tuples with '%s' keep names unquoted: `table7 > conv3 sparse [micro22] > DRAM > Inputs > actual reads`.
    describe.each(suite.cases.map((lc) => [caseTitle(lc.c), lc] as const))('%s', (_title, { c, golden, goldenError }) => {
      if (!inputsHere) {
        test.skip(`skipped: its inputs are read from ${rootShown}, which is not beside this clone (never copied into the repository)`, () => {});
        return;
      }
      const gap = gaps.get(c.id);
      if (gap || c.expect === 'refused') {
        const run = caseEvaluation(suite.manifest, c);
        const name = gap
          ? `known gap (known-gaps.yaml: ${gap.today}): still exactly as listed, else update or remove the entry`
          : `refused with a positioned error naming the reference's cause (${c.cause})`;
        test(name, async () => {
          const v = caseVerdict(suite.manifest, c, golden, await run.load(), compareFn(tolerances));
          if (gap) {
            const { holds, message } = gapStillHolds(gap, v);
            expect(holds, message).toBe(true);
          } else {
            expect(v.status, `Timeloop: ${c.timeloopError}; ours: ${v.error ?? 'evaluated without error'}`).toBe('refused-same-cause');
          }
        });
        return;
      }
      if (!golden) {
        test('golden result is present', () => {
          expect.fail(goldenError);
        });
        return;
      }
      const run = caseEvaluation(suite.manifest, c);
      beforeAll(async () => {
        await run.load();
      });
      const named = (checks: Check[]) => checks.map((k) => [k.name, k] as const);
      const check = (_name: string, { path, expected, actual }: Check) => {
        expect(actual(run.result())).toBeWithinTolerance(expected, path, tolerances);
      };

      test.each(named(totalChecks(golden)))('%s', check);
      describe('energy per level', () => {
        test.each(named(levelEnergyChecks(golden)))('%s', check);
      });
      describe.each(countChecks(golden).map((l) => [l.level, l] as const))('%s', (_level, { tensors }) => {
        describe.each(tensors.map((t) => [t.tensor, t] as const))('%s', (_tensor, { checks }) => {
          test.each(named(checks))('%s', check);
        });
      });
      describe('computes', () => {
        test.each(named(computeChecks(golden)))('%s', check);
      });
      // The families above name the headline numbers; this catches every other golden field
      // (per-rank format accesses, bandwidths, per-action energies, network counts), as `validate` does.
      test('every golden field is within tolerance', () => {
        const { compared, outside } = compareFn(tolerances)(golden, run.result());
        expect(compared).toBeGreaterThan(0);
        expect(outside.map(formatDiscrepancy)).toEqual([]);
      });
      if (!suite.manifest.referenceInputs) return;
      test.skipIf(!existsSync(c.referenceDir))('the shared reference run dir, unchanged, evaluates to the same result as the project spec (needs ../shared)', async () => {
        const own = withoutSources(run.result());
        const reference = withoutSources(await evaluateSpec(await loadReferenceSpec(c), c));
        // toEqual prints the differing fields; isDeepStrictEqual also catches key-order changes.
        expect(reference).toEqual(own);
        expect(isDeepStrictEqual(reference, own)).toBe(true);
      });
    });
  });
}

/** `meta.sources` names the input files, which legitimately differ between the two spec forms. */
function withoutSources(r: Result): Result {
  const { sources: _ignored, ...meta } = r.meta;
  return { ...r, meta };
}
