/**
 * Tolerance rules, loaded from one data file (golden/tolerances.yaml). Each rule has a path
 * pattern, a kind, a value and a reason. The FIRST rule whose pattern matches a field's path
 * decides (the file lists specific rules before general ones and must end with a catch-all `**`,
 * so no field is ever compared under an implicit default).
 *
 * Patterns are dotted globs: `*` matches within one segment, `**` any number of segments.
 * Kinds: exact (a === e), relative (|a-e| <= v*|e|), absolute (|a-e| <= v),
 * significant (expected printed with v significant digits: |a-e| <= half a unit of the last one).
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { readFileSync } from 'node:fs';

export type ToleranceKind = 'exact' | 'relative' | 'absolute' | 'significant';
const KINDS: readonly ToleranceKind[] = ['exact', 'relative', 'absolute', 'significant'];

export interface ToleranceRule {
  pattern: string;
  kind: ToleranceKind;
  /** 0 for exact. */
  value: number;
  reason: string;
  matches: (path: string) => boolean;
}

export interface Tolerances {
  file: string;
  rules: ToleranceRule[];
}

function segmentRegex(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*')}$`);
}

export function compilePattern(pattern: string): (path: string) => boolean {
  const parts = pattern.split('.').map((p) => (p === '**' ? null : segmentRegex(p)));
  return (path: string) => {
    const segs = path.split('.');
    // memo over (segment index, part index): patterns are short, paths are short.
    const memo = new Map<number, boolean>();
    const match = (i: number, j: number): boolean => {
      const key = i * 64 + j;
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      let r: boolean;
      if (j === parts.length) r = i === segs.length;
      else if (parts[j] === null) r = match(i, j + 1) || (i < segs.length && match(i + 1, j));
      else r = i < segs.length && parts[j]!.test(segs[i]) && match(i + 1, j + 1);
      memo.set(key, r);
      return r;
    };
    return match(0, 0);
  };
}

export function ruleFor(path: string, tolerances: Tolerances): ToleranceRule {
  const rule = tolerances.rules.find((r) => r.matches(path));
  // loadTolerances guarantees a final catch-all; a hand-built rule list may not have one.
  if (!rule) throw new SparsegaugeError('schema', `no tolerance rule matches '${path}'`, { file: tolerances.file, field: path });
  return rule;
}

/** Whether `actual` is within the tolerance of `expected` under `rule`. */
export function withinRule(expected: number, actual: number, rule: Pick<ToleranceRule, 'kind' | 'value'>): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return false;
  const diff = Math.abs(actual - expected);
  switch (rule.kind) {
    case 'exact':
      return actual === expected;
    case 'relative':
      return diff <= rule.value * Math.abs(expected);
    case 'absolute':
      // A tiny slack so a value exactly half a printed unit away is not lost to binary rounding.
      return diff <= rule.value * (1 + 1e-9);
    case 'significant': {
      if (expected === 0) return actual === 0;
      const halfUnit = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(expected))) - rule.value + 1);
      return diff <= halfUnit * (1 + 1e-9);
    }
  }
}

export function withinTolerance(expected: number, actual: number, path: string, tolerances: Tolerances): boolean {
  return withinRule(expected, actual, ruleFor(path, tolerances));
}

export function parseTolerances(text: string, file: string): Tolerances {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const pos = (node: Node | null | undefined) => {
    const off = node?.range?.[0];
    if (off === undefined) return undefined;
    const p = lc.linePos(off);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const p = lc.linePos(doc.errors[0].pos[0]);
    throw new SparsegaugeError('yaml-syntax', doc.errors[0].message.split('\n')[0], { file, position: { line: p.line, column: p.col } });
  }
  const fail = (field: string, message: string, node?: Node | null): never => {
    throw new SparsegaugeError('schema', message, { file, field, position: pos(node) });
  };
  const top = doc.contents;
  if (!isMap(top)) return fail('', 'expected a mapping with a `rules` list', top as Node);
  for (const pair of top.items) {
    const k = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (k !== 'rules') fail(k, `unknown key '${k}' (expected only 'rules')`, pair.key as Node);
  }
  const list = top.get('rules', true);
  if (!isSeq(list) || list.items.length === 0) return fail('rules', 'expected a non-empty list of rules', top);
  const rules = list.items.map((item, i): ToleranceRule => {
    const f = (k: string) => `rules[${i}].${k}`;
    if (!isMap(item)) return fail(`rules[${i}]`, 'expected a mapping with pattern, kind, value, reason', item as Node);
    for (const pair of item.items) {
      const k = String((pair.key as { value?: unknown })?.value ?? pair.key);
      if (!['pattern', 'kind', 'value', 'reason'].includes(k)) fail(f(k), `unknown key '${k}'`, pair.key as Node);
    }
    const node = (k: string) => item.get(k, true) as Node | undefined;
    const pattern: unknown = item.get('pattern');
    if (typeof pattern !== 'string' || pattern === '') return fail(f('pattern'), 'expected a non-empty path pattern', node('pattern') ?? item);
    const kind: unknown = item.get('kind');
    if (typeof kind !== 'string' || !KINDS.includes(kind as ToleranceKind)) return fail(f('kind'), `expected one of ${KINDS.join(', ')}`, node('kind') ?? item);
    const rawValue: unknown = item.get('value');
    let value = 0;
    if (kind === 'exact') {
      if (rawValue !== undefined && rawValue !== 0) fail(f('value'), 'an exact rule takes no value (or 0)', node('value'));
    } else {
      if (typeof rawValue !== 'number' || !Number.isFinite(rawValue) || rawValue <= 0) return fail(f('value'), `a ${kind} rule needs a positive number`, node('value') ?? item);
      if (kind === 'significant' && !Number.isInteger(rawValue)) fail(f('value'), 'significant digits must be an integer', node('value'));
      value = rawValue;
    }
    const reason: unknown = item.get('reason');
    if (typeof reason !== 'string' || reason.trim() === '') return fail(f('reason'), 'every rule needs a reason', node('reason') ?? item);
    return { pattern, kind: kind as ToleranceKind, value, reason: reason.trim(), matches: compilePattern(pattern) };
  });
  const last = rules[rules.length - 1];
  if (last.pattern !== '**') fail(`rules[${rules.length - 1}].pattern`, "the last rule must be the catch-all pattern '**'", list.items[list.items.length - 1] as Node);
  return { file, rules };
}

export function loadTolerances(path: string): Tolerances {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SparsegaugeError('io', `cannot read tolerances file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path });
  }
  return parseTolerances(text, path);
}
