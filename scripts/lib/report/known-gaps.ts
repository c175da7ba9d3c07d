/**
 * Known gaps of a mode reference (`mode_references[].known_gaps` in a case manifest): differences
 * between a Timeloop build and our model in that build's compat mode that are not reproduced yet.
 * Each gap names the cases it affects, dotted-glob patterns of the golden fields that differ, and
 * why. The suites compare every other field as usual, and check that each gap still exists in each
 * case it names (at least one of its fields outside tolerance), so a gap cannot outlive its cause.
 *
 * File: `gaps: [{ id, reason, cases: [case id...] | ['*'], paths: [pattern...] }]`.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { readFileSync } from 'node:fs';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { compilePattern } from '../compare/tolerances.ts';

export interface KnownGap {
  id: string;
  reason: string;
  /** Case ids, or ['*'] for every case of the suite. */
  cases: string[];
  paths: string[];
  covers: (path: string) => boolean;
}

export function loadKnownGaps(file: string): KnownGap[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SparsegaugeError('io', 'cannot read the known-gaps file', { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const fail = (field: string, message: string, node?: Node | null): never => {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new SparsegaugeError('schema', message, { file, field, ...(pos ? { position: { line: pos.line, column: pos.col } } : {}) });
  };
  if (doc.errors.length > 0) fail('', doc.errors[0].message.split('\n')[0]);
  const top = doc.contents;
  if (!isMap(top)) return fail('gaps', 'expected a mapping with a gaps list', top as Node);
  const list = top.get('gaps', true) as Node | undefined;
  if (!isSeq(list)) return fail('gaps', 'expected a list', list ?? (top as Node));
  const seen = new Set<string>();
  return (list as unknown as { items: Node[] }).items.map((item, i) => {
    const at = `gaps[${i}]`;
    if (!isMap(item)) return fail(at, 'expected a mapping', item);
    const text = (key: string): string => {
      const v = item.get(key);
      return typeof v === 'string' && v.trim() !== '' ? v : fail(`${at}.${key}`, 'expected a non-empty string', item);
    };
    const strings = (key: string): string[] => {
      const v: unknown = item.toJSON()[key];
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s !== '')) {
        return fail(`${at}.${key}`, 'expected a non-empty list of strings', item);
      }
      return v as string[];
    };
    const id = text('id');
    if (seen.has(id)) fail(`${at}.id`, `duplicate gap id '${id}'`, item);
    seen.add(id);
    const paths = strings('paths');
    const matchers = paths.map(compilePattern);
    return { id, reason: text('reason'), cases: strings('cases'), paths, covers: (path: string) => matchers.some((m) => m(path)) };
  });
}

export function gapAppliesTo(gap: KnownGap, caseId: string): boolean {
  return gap.cases.includes('*') || gap.cases.includes(caseId);
}

/** The gaps of one case, and which of them covers a field path (undefined: none). */
export function caseGaps(gaps: readonly KnownGap[], caseId: string) {
  const own = gaps.filter((g) => gapAppliesTo(g, caseId));
  return { gaps: own, gapOf: (path: string) => own.find((g) => g.covers(path)) };
}
