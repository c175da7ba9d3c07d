/**
 * The fix registry (`golden/fixes.yaml`): modelling behaviours as data, each with the golden
 * fields it governs. `governedFields` resolves the patterns against one golden result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { FIX_IDS, type FixId } from '../../../engine/options.ts';
import type { Result } from '../../../engine/result/schema.ts';
import { REPO_ROOT } from './manifest.ts';
import { compilePattern, flatten } from '../compare/index.ts';

export interface FixRule {
  /** globs over `<suite>/<case id>` */
  cases: string[];
  /** globs over result field paths */
  fields: string[];
}

export interface Fix {
  id: FixId;
  description: string;
  governs: FixRule[];
}

export const FIXES_FILE = join(REPO_ROOT, 'golden', 'fixes.yaml');

export function loadFixes(file: string = FIXES_FILE): Fix[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SparsegaugeError('io', 'cannot read the fix registry', { file });
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const at = (node: Node | null | undefined) => {
    const off = node?.range?.[0];
    if (off === undefined) return {};
    const p = lc.linePos(off);
    return { position: { line: p.line, column: p.col } };
  };
  if (doc.errors.length > 0) {
    const p = lc.linePos(doc.errors[0].pos[0]);
    throw new SparsegaugeError('yaml-syntax', doc.errors[0].message.split('\n')[0], { file, position: { line: p.line, column: p.col } });
  }
  const fail = (field: string, message: string, node?: Node | null): never => {
    throw new SparsegaugeError('schema', message, { file, field, ...at(node) });
  };
  const top = doc.contents;
  const list = isMap(top) ? (top.get('fixes', true) as Node | undefined) : undefined;
  if (!isSeq(list)) return fail('fixes', 'expected a top-level `fixes:` list', top);
  const strings = (node: unknown, field: string): string[] => {
    if (!isSeq(node)) return fail(field, 'expected a list of strings', node as Node);
    return node.items.map((item, i) => {
      const v = (item as { value?: unknown }).value;
      return typeof v === 'string' && v !== '' ? v : fail(`${field}[${i}]`, 'expected a non-empty string', item as Node);
    });
  };
  const seen = new Set<string>();
  return list.items.map((item, i): Fix => {
    const f = `fixes[${i}]`;
    if (!isMap(item)) return fail(f, 'expected a mapping with id, description, governs', item as Node);
    const idNode = item.get('id', true) as Node | undefined;
    const id = (idNode as { value?: unknown } | undefined)?.value;
    if (typeof id !== 'string' || !(FIX_IDS as readonly string[]).includes(id)) {
      fail(`${f}.id`, `unknown fix id '${String(id)}' (expected one of ${FIX_IDS.join(', ')})`, idNode);
    }
    if (seen.has(id as string)) fail(`${f}.id`, `duplicate fix id '${String(id)}'`, idNode);
    seen.add(id as string);
    const description = (item.get('description', true) as { value?: unknown } | undefined)?.value;
    if (typeof description !== 'string' || description === '') fail(`${f}.description`, 'expected a description', item);
    const governsNode = item.get('governs', true) as Node | undefined;
    if (!isSeq(governsNode) || governsNode.items.length === 0) return fail(`${f}.governs`, 'expected a non-empty list of { cases, fields }', governsNode ?? item);
    const governs = governsNode.items.map((rule, j): FixRule => {
      const r = `${f}.governs[${j}]`;
      if (!isMap(rule)) return fail(r, 'expected a mapping with cases and fields', rule as Node);
      return { cases: strings(rule.get('cases', true), `${r}.cases`), fields: strings(rule.get('fields', true), `${r}.fields`) };
    });
    return { id: id as FixId, description: description as string, governs };
  });
}

/** Golden field paths (with golden values) a fix governs in one case; [] when it governs none there. */
export function governedFields(fix: Fix, suite: string, caseId: string, golden: Result): [string, number][] {
  const key = `${suite}/${caseId}`;
  const patterns = fix.governs.filter((r) => r.cases.some((g) => compilePattern(g)(key))).flatMap((r) => r.fields.map(compilePattern));
  if (patterns.length === 0) return [];
  return flatten(golden).filter((leaf): leaf is [string, number] => typeof leaf[1] === 'number' && patterns.some((m) => m(leaf[0])));
}
