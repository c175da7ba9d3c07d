/**
 * Known gaps (`golden/<suite>/known-gaps.yaml`, optional): cases that do not yet do what their
 * reference build does, each with what we do today and why. A listed case is not a failure of the
 * suite or of `validate`; instead the suites check that it is still exactly the gap listed, so the
 * list cannot go stale: a case that starts matching must have its entry removed, a case whose
 * behaviour changes must have its entry updated.
 *
 * Entry: `case` (an id of the manifest), `today` (a CaseStatus other than the expected one),
 * `error` (refused*: a substring of our `kind error in field: message`), `outside` (differs: how
 * many fields are outside tolerance), `why` (the reason, and who/what would close it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { EXPECTED_STATUS, type CaseStatus, type CaseVerdict } from './case-status.ts';
import type { GoldenCase, Manifest } from './manifest.ts';

export interface KnownGap {
  case: string;
  today: CaseStatus;
  error?: string;
  outside?: number;
  why: string;
  line: number;
}

const STATUSES: readonly CaseStatus[] = ['exact', 'differs', 'refused', 'refused-same-cause', 'refused-other-cause', 'runs'];

export function knownGapsFile(manifest: Manifest): string {
  return join(dirname(manifest.file), 'known-gaps.yaml');
}

/** The suite's known gaps by case id; empty when the suite has no known-gaps.yaml. */
export function loadKnownGaps(manifest: Manifest): Map<string, KnownGap> {
  const file = knownGapsFile(manifest);
  const gaps = new Map<string, KnownGap>();
  if (!existsSync(file)) return gaps;
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
  const pos = (node: Node | null | undefined) => {
    const off = node?.range?.[0];
    if (off === undefined) return undefined;
    const p = lc.linePos(off);
    return { line: p.line, column: p.col };
  };
  const fail = (field: string, message: string, node?: Node | null): never => {
    throw new SparsegaugeError('schema', message, { file, field, position: pos(node) });
  };
  if (doc.errors.length > 0) {
    const p = lc.linePos(doc.errors[0].pos[0]);
    throw new SparsegaugeError('yaml-syntax', doc.errors[0].message.split('\n')[0], { file, position: { line: p.line, column: p.col } });
  }
  const top = doc.contents;
  if (!isMap(top)) return fail('(root)', 'expected a mapping with a `gaps` list', top as Node);
  const list = top.get('gaps', true);
  if (list === undefined || list === null) return gaps;
  if (!isSeq(list)) return fail('gaps', 'expected a list of gaps', list as Node);
  const byId = new Map(manifest.cases.map((c) => [c.id, c]));
  list.items.forEach((item, i) => {
    const at = `gaps[${i}]`;
    if (!isMap(item)) return fail(at, 'expected a mapping', item as Node);
    const node = item as unknown as Node;
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown }).value);
      if (!['case', 'today', 'error', 'outside', 'why'].includes(key)) fail(`${at}.${key}`, `unknown key '${key}' (expected case, today, error, outside, why)`, pair.key as Node);
    }
    const str = (k: string): string | undefined => {
      if (!item.has(k)) return undefined;
      const v: unknown = item.get(k);
      if (typeof v !== 'string' || v.trim() === '') fail(`${at}.${k}`, 'expected a non-empty string', item.get(k, true) as Node);
      return v as string;
    };
    const id = str('case') ?? fail(`${at}.case`, 'every gap names its case', node);
    const c: GoldenCase = byId.get(id) ?? fail(`${at}.case`, `no case '${id}' in ${manifest.suite}/cases.yaml`, item.get('case', true) as Node);
    if (gaps.has(id)) fail(`${at}.case`, `case '${id}' is listed twice`, item.get('case', true) as Node);
    const today = str('today') ?? fail(`${at}.today`, 'say what the case does today', node);
    if (!STATUSES.includes(today as CaseStatus)) fail(`${at}.today`, `expected one of ${STATUSES.join(', ')}`, item.get('today', true) as Node);
    const valid = c.expect === 'exact' ? ['differs', 'refused'] : ['refused-other-cause', 'runs'];
    if (!valid.includes(today)) {
      fail(`${at}.today`, `${today} is not a gap for a case expected ${EXPECTED_STATUS[c.expect]} (a gap is ${valid.join(' or ')})`, item.get('today', true) as Node);
    }
    const error = str('error');
    if (today.startsWith('refused') !== (error !== undefined)) fail(`${at}.error`, 'a refused gap gives our error (a substring of it); no other gap does', node);
    const outsideValue: unknown = item.get('outside');
    if ((today === 'differs') !== (outsideValue !== undefined)) fail(`${at}.outside`, 'a differs gap gives how many fields are outside tolerance; no other gap does', node);
    if (outsideValue !== undefined && !(Number.isInteger(outsideValue) && (outsideValue as number) > 0)) {
      fail(`${at}.outside`, 'expected a positive integer', item.get('outside', true) as Node);
    }
    const why = str('why') ?? fail(`${at}.why`, 'every gap says why', node);
    gaps.set(id, {
      case: id,
      today: today as CaseStatus,
      ...(error === undefined ? {} : { error }),
      ...(outsideValue === undefined ? {} : { outside: outsideValue as number }),
      why,
      line: pos(node)?.line ?? 0,
    });
  });
  return gaps;
}

/** Whether a case's verdict is still exactly its listed gap; the message says what to change when not. */
export function gapStillHolds(gap: KnownGap, v: CaseVerdict): { holds: boolean; message: string } {
  const where = `known-gaps.yaml:${gap.line} (${gap.case})`;
  if (v.status !== gap.today) {
    const now = v.status === 'exact' || v.status === 'refused-same-cause' ? 'now as expected: remove the entry' : `now ${v.status}: update the entry`;
    return { holds: false, message: `${where} lists ${gap.today}, the case is ${now}${v.reason ? ` (${v.reason})` : ''}` };
  }
  if (gap.error !== undefined && !(v.reason ?? '').includes(gap.error)) {
    return { holds: false, message: `${where}: our error no longer contains '${gap.error}': now '${v.reason}'` };
  }
  if (gap.outside !== undefined && v.outside?.length !== gap.outside) {
    return { holds: false, message: `${where} lists ${gap.outside} fields outside tolerance, now ${v.outside?.length}: update the entry` };
  }
  return { holds: true, message: `${where}: still ${gap.today}` };
}
