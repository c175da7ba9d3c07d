/**
 * Full-case comparison of evaluate() against the golden JSON (golden/table7/<id>.json), for every
 * case whose golden file exists. Counts and cycles exact; other numbers within 1e-6 relative, or,
 * where the golden value came from a 2-decimal stats line (no XML value), within half a unit of
 * that last printed digit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import type { CompatMode } from '../engine/result/schema.ts';
import { loadCaseSpec } from './engine-fixture.ts';

const root = resolve(import.meta.dirname, '..');
const casesFile = resolve(root, 'golden/table7/cases.yaml');
const cases = (parse(readFileSync(casesFile, 'utf8')) as { cases: { id: string; compat: CompatMode; reference: string }[] }).cases;

function diffs(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (path.startsWith('meta')) return;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') {
      out.push(`${path}: expected ${expected}, got ${String(actual)}`);
      return;
    }
    const ok =
      expected === actual ||
      Math.abs(actual - expected) <= 1e-6 * Math.abs(expected) ||
      (Math.abs(expected * 100 - Math.round(expected * 100)) < 1e-9 && Math.abs(actual - expected) <= 0.005 + 1e-12);
    if (!ok) out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => diffs(e, actual[i], `${path}[${i}]`, out));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      out.push(`${path}: missing`);
      return;
    }
    for (const [k, v] of Object.entries(expected)) diffs(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (expected !== actual) out.push(`${path}: expected ${String(expected)}, got ${String(actual)}`);
}

const available = cases.filter((c) => existsSync(resolve(root, `golden/table7/${c.id}.json`)));

describe.runIf(available.length > 0)('golden table7 cases', () => {
  test.each(available)('$id: every golden field matches', async (c) => {
    const golden = JSON.parse(readFileSync(resolve(root, `golden/table7/${c.id}.json`), 'utf8'));
    const result = evaluate(await loadCaseSpec(c.reference), { compat: c.compat });
    const out: string[] = [];
    diffs(golden, result, '', out);
    expect(out).toEqual([]);
  });
});
