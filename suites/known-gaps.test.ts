/**
 * The mechanism behind the corpus suite: a case's status against its reference build (case-status.ts)
 * and the known-gaps list (known-gaps.ts), which must name real cases with a reason and must stay
 * exactly true: an entry whose case now matches, or now fails differently, is reported.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import type { Result } from '../engine/result/schema.ts';
import { caseVerdict, isExpected } from '../scripts/lib/report/case-status.ts';
import { failedOutcome, type Outcome } from '../scripts/lib/report/evaluate-case.ts';
import { gapStillHolds, loadKnownGaps } from '../scripts/lib/report/known-gaps.ts';
import { loadManifest, type Manifest } from '../scripts/lib/report/manifest.ts';
import type { CompareFn } from '../scripts/lib/report/model.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sparsegauge-gaps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MANIFEST = `suite: s
reference_root: .
reference_inputs: false
refusal_causes:
  bad-thing: { timeloop: "ERROR: bad", trigger: "a bad thing", ours: "^schema error in mapping\\\\[\\\\d+\\\\]\\\\.bad_thing\\\\b" }
cases:
  - { id: runs-a, compat: public, reference: a, expect: exact }
  - { id: refused-b, compat: public, reference: b, expect: refused, cause: bad-thing, timeloop_error: "ERROR: bad" }
`;

let n = 0;
function suite(gaps?: string): Manifest {
  const dir = join(tmp, `s${n++}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'cases.yaml'), MANIFEST);
  if (gaps !== undefined) writeFileSync(join(dir, 'known-gaps.yaml'), gaps);
  return loadManifest(join(dir, 'cases.yaml'), tmp);
}

function gapsError(text: string): SparsegaugeError {
  try {
    loadKnownGaps(suite(text));
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const refusal = (field: string, positioned = true): Outcome =>
  failedOutcome(new SparsegaugeError('schema', 'no', { field, ...(positioned ? { file: 'm.yaml', position: { line: 3, column: 5 } } : {}) }));
const golden = {} as Result;
const comparing = (outside: number): CompareFn => () => ({ compared: 10, outside: Array.from({ length: outside }, (_, i) => ({ path: `f${i}`, expected: 1, actual: 2, rule: { pattern: '**', kind: 'exact', value: 0 } })) });
const ran: Outcome = { ok: true, result: golden };

describe('case status against the reference build', () => {
  const m = suite();
  const [runs, refused] = m.cases;

  test('a refused case is refused for the same cause only with a positioned error matching the cause', () => {
    expect(caseVerdict(m, refused, null, refusal('mapping[3].bad_thing'), comparing(0)).status).toBe('refused-same-cause');
    expect(caseVerdict(m, refused, null, refusal('mapping[3].bad_thing', false), comparing(0)).status).toBe('refused-other-cause');
    expect(caseVerdict(m, refused, null, refusal('mapping[3].other'), comparing(0)).status).toBe('refused-other-cause');
    expect(caseVerdict(m, refused, null, ran, comparing(0)).status).toBe('runs');
  });

  test('a case the reference runs is exact, differs (with the fields) or refused', () => {
    expect(caseVerdict(m, runs, golden, ran, comparing(0))).toMatchObject({ status: 'exact', compared: 10 });
    expect(caseVerdict(m, runs, golden, ran, comparing(2))).toMatchObject({ status: 'differs', outside: ['f0', 'f1'] });
    expect(caseVerdict(m, runs, golden, refusal('x'), comparing(0)).status).toBe('refused');
    expect(isExpected(runs, caseVerdict(m, runs, golden, ran, comparing(0)))).toBe(true);
    expect(isExpected(runs, caseVerdict(m, runs, golden, ran, comparing(1)))).toBe(false);
  });
});

describe('known gaps', () => {
  const head = 'gaps:\n';
  test('entries load with their line; an absent file is no gaps', () => {
    expect(loadKnownGaps(suite()).size).toBe(0);
    const gaps = loadKnownGaps(suite(`${head}  - { case: runs-a, today: differs, outside: 2, why: "rounding" }\n`));
    expect(gaps.get('runs-a')).toMatchObject({ today: 'differs', outside: 2, why: 'rounding', line: 2 });
  });

  test.each([
    ['an unknown case', `${head}  - { case: nope, today: refused, error: x, why: y }\n`, /no case 'nope'/],
    ['a case listed twice', `${head}  - { case: runs-a, today: refused, error: x, why: y }\n  - { case: runs-a, today: refused, error: x, why: y }\n`, /listed twice/],
    ['no reason', `${head}  - { case: runs-a, today: refused, error: x }\n`, /every gap says why/],
    ['the expected status', `${head}  - { case: runs-a, today: exact, why: y }\n`, /not a gap for a case expected exact/],
    ['a refused gap without our error', `${head}  - { case: refused-b, today: refused-other-cause, why: y }\n`, /gives our error/],
    ['a differs gap without a count', `${head}  - { case: runs-a, today: differs, why: y }\n`, /how many fields/],
    ['an unknown key', `${head}  - { case: runs-a, today: refused, error: x, why: y, note: z }\n`, /unknown key 'note'/],
  ])('refused: %s (positioned schema error)', (_name, text, message) => {
    const e = gapsError(text);
    expect(e.kind).toBe('schema');
    expect(e.position?.line).toBeGreaterThan(0);
    expect(e.message).toMatch(message);
  });

  test('an entry holds only while the case is exactly that gap', () => {
    const m = suite(`${head}  - { case: runs-a, today: refused, error: "in foo", why: y }\n  - { case: refused-b, today: refused-other-cause, error: "in mapping", why: y }\n`);
    const gaps = loadKnownGaps(m);
    const [runs, refused] = m.cases;
    const a = gaps.get('runs-a')!;
    expect(gapStillHolds(a, caseVerdict(m, runs, golden, refusal('foo'), comparing(0))).holds).toBe(true);
    const fixed = gapStillHolds(a, caseVerdict(m, runs, golden, ran, comparing(0)));
    expect(fixed).toMatchObject({ holds: false });
    expect(fixed.message).toMatch(/known-gaps.yaml:2 \(runs-a\) lists refused, the case is now as expected: remove the entry/);
    expect(gapStillHolds(a, caseVerdict(m, runs, golden, refusal('bar'), comparing(0))).message).toMatch(/no longer contains 'in foo'/);
    expect(gapStillHolds(a, caseVerdict(m, runs, golden, ran, comparing(3))).message).toMatch(/now differs: update the entry/);
    const b = gaps.get('refused-b')!;
    expect(gapStillHolds(b, caseVerdict(m, refused, null, refusal('mapping[1].bad_thing'), comparing(0))).message).toMatch(/now as expected: remove the entry/);
  });

  test('a differs entry records the count of fields outside tolerance, which must stay true', () => {
    const m = suite(`${head}  - { case: runs-a, today: differs, outside: 2, why: y }\n`);
    const gap = loadKnownGaps(m).get('runs-a')!;
    expect(gapStillHolds(gap, caseVerdict(m, m.cases[0], golden, ran, comparing(2))).holds).toBe(true);
    expect(gapStillHolds(gap, caseVerdict(m, m.cases[0], golden, ran, comparing(1))).message).toMatch(/lists 2 fields outside tolerance, now 1/);
  });
});
