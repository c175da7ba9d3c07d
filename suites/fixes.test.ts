/**
 * Guards for the modelling behaviours in golden/fixes.yaml: with each behaviour on, the golden
 * fields it governs match; with it switched off alone (`disabledFixes: [id]`), at least one of
 * them falls outside tolerance, proof that the guard bites. A switch the engine ignores fails here.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { FIX_IDS } from '../engine/options.ts';
import { governedFields, loadFixes } from '../scripts/lib/report/fixes.ts';
import { valueAt as getPath } from '../scripts/lib/compare/index.ts';
import { loadTolerances, toleranceCheck, TOLERANCES_FILE } from '../scripts/lib/report/tolerance.ts';
import { caseTitle, loadSuites } from './harness/cases.ts';
import { caseEvaluation } from './harness/evaluation.ts';
import './harness/matcher.ts';

const fixes = loadFixes();
const suites = loadSuites();
const tolerances = loadTolerances(TOLERANCES_FILE);

/** Every (suite, case) with its golden result, and the once-per-file evaluation with all fixes on. */
const allCases = suites.flatMap((s) =>
  s.cases.map((lc) => ({ suite: s.manifest.suite, manifest: s.manifest, ...lc, on: caseEvaluation(s.manifest, lc.c) })),
);

test('the registry lists every fix the engine can switch off', () => {
  expect(fixes.map((f) => f.id).sort()).toEqual([...FIX_IDS].sort());
});

test('every golden case has its golden result', () => {
  expect(allCases.filter((k) => !k.golden && k.c.expect !== 'refused').map((k) => `${k.c.id}: ${k.goldenError}`)).toEqual([]);
});

describe.each(fixes.map((f) => [f.id, f] as const))('fix %s', (_id, fix) => {
  const governed = allCases
    .filter((k) => k.golden)
    .map((k) => ({ ...k, fields: governedFields(fix, k.suite, k.c.id, k.golden!), off: caseEvaluation(k.manifest, k.c, [fix.id]) }))
    .filter((k) => k.fields.length > 0);

  beforeAll(async () => {
    await Promise.all(governed.flatMap((k) => [k.on.load(), k.off.load()]));
  });

  test('governs at least one golden field', () => {
    expect(governed.reduce((n, k) => n + k.fields.length, 0)).toBeGreaterThan(0);
  });

  test('governed fields match golden with the behaviour on', () => {
    for (const k of governed) {
      const ours = k.on.result();
      for (const [path, expected] of k.fields) {
        expect.soft(getPath(ours, path), `${caseTitle(k.c)}`).toBeWithinTolerance(expected, path, tolerances);
      }
    }
  });

  test('switching it off moves at least one governed field outside tolerance', () => {
    const within = toleranceCheck(tolerances);
    const moved: string[] = [];
    for (const k of governed) {
      const ours = k.off.result();
      for (const [path, expected] of k.fields) {
        const v = getPath(ours, path);
        if (!(typeof v === 'number' && within(expected, v, path))) moved.push(`${k.c.id} ${path}: ${expected} -> ${String(v)}`);
      }
    }
    expect(moved.length, `disabling ${fix.id} changed no governed field: the guard does not bite`).toBeGreaterThan(0);
  });
});
