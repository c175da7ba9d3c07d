/**
 * Full-case comparison of evaluate() against the golden JSON (golden/table7/<id>.json), for every
 * case whose golden file exists, under the rules of golden/tolerances.yaml (the same comparison as
 * `sparsegauge diff`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import type { CompatMode } from '../engine/result/schema.ts';
import { compareResults, formatDiscrepancy, loadTolerances } from '../scripts/lib/compare/index.ts';
import { loadCaseSpec } from './engine-fixture.ts';

const root = resolve(import.meta.dirname, '..');
const casesFile = resolve(root, 'golden/table7/cases.yaml');
const tolerances = loadTolerances(resolve(root, 'golden/tolerances.yaml'));
const cases = (parse(readFileSync(casesFile, 'utf8')) as { cases: { id: string; compat: CompatMode; reference: string }[] }).cases;

const available = cases.filter((c) => existsSync(resolve(root, `golden/table7/${c.id}.json`)));

describe.runIf(available.length > 0)('golden table7 cases', () => {
  test.each(available)('$id: every golden field matches', async (c) => {
    const golden = JSON.parse(readFileSync(resolve(root, `golden/table7/${c.id}.json`), 'utf8'));
    const result = evaluate(await loadCaseSpec(c.reference), { compat: c.compat });
    const { compared, outside } = compareResults(golden, result, tolerances);
    expect(compared).toBeGreaterThan(300);
    expect(outside.map(formatDiscrepancy)).toEqual([]);
  });
});
