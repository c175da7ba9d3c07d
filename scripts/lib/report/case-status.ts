/**
 * What a golden case does today against what its reference build does: one status per case, the
 * single classification the suites, `validate` and its report share. Pure: the caller evaluates.
 *
 *   exact                 the reference runs it, every golden field within tolerance
 *   differs               the reference runs it, some field outside tolerance
 *   refused               the reference runs it, we refuse it
 *   refused-same-cause    the reference refuses it, we refuse it with a positioned error naming its cause
 *   refused-other-cause   the reference refuses it, we refuse it for another reason (or unpositioned)
 *   runs                  the reference refuses it, we evaluate it
 */
import type { Result } from '../../../engine/result/schema.ts';
import type { Outcome } from './evaluate-case.ts';
import type { GoldenCase, Manifest } from './manifest.ts';
import type { CompareFn } from './model.ts';

export type CaseStatus = 'exact' | 'differs' | 'refused' | 'refused-same-cause' | 'refused-other-cause' | 'runs';

/** The statuses a case is expected to reach (anything else is a discrepancy or a known gap). */
export const EXPECTED_STATUS = { exact: 'exact', refused: 'refused-same-cause' } as const;

export interface CaseVerdict {
  status: CaseStatus;
  /** differs: fields compared and the paths outside tolerance. */
  compared?: number;
  outside?: string[];
  /** refused*: our one-line error and its `kind error in field: message` part. */
  error?: string;
  reason?: string;
}

export function caseVerdict(manifest: Manifest, c: GoldenCase, golden: Result | null, outcome: Outcome, compare: CompareFn): CaseVerdict {
  if (c.expect === 'refused') {
    if (outcome.ok) return { status: 'runs' };
    const cause = c.cause === undefined ? undefined : manifest.refusalCauses[c.cause];
    const same = outcome.positioned && cause !== undefined && cause.ours.test(outcome.reason);
    return { status: same ? 'refused-same-cause' : 'refused-other-cause', error: outcome.error, reason: outcome.reason };
  }
  if (!outcome.ok) return { status: 'refused', error: outcome.error, reason: outcome.reason };
  if (!golden) throw new Error(`case ${c.id}: no golden result to compare with`);
  const { compared, outside } = compare(golden, outcome.result);
  return { status: outside.length === 0 ? 'exact' : 'differs', compared, outside: outside.map((d) => d.path) };
}

export function isExpected(c: GoldenCase, v: CaseVerdict): boolean {
  return v.status === EXPECTED_STATUS[c.expect];
}
