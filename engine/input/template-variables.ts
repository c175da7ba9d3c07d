/**
 * Which variables does a nunjucks template read that neither `--var` nor the template itself
 * defines? nunjucks (throwOnUndefined) fails only when an undefined value is output, and then
 * without its name; a variable read in a condition (`{% if mode == 'x' %}`) silently reads as
 * undefined. This walks the parsed template instead. Scoping is not modelled: a name bound
 * anywhere (`set`, `for`, `macro` and its arguments, imports) counts as defined everywhere, so it
 * never reports a variable that is defined; `x is defined` and `x | default(...)` are not reads.
 */
import { nunjucks } from './nunjucks.ts';

export interface TemplateVariable {
  name: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface TemplateNode {
  typename: string;
  fields?: string[];
  lineno: number;
  colno: number;
  value?: unknown;
  [field: string]: unknown;
}

/** nunjucks globals and names it binds itself. */
const BUILTINS = new Set(['range', 'cycler', 'joiner', 'loop', 'caller', 'super']);
const TESTS_OF_DEFINEDNESS = new Set(['defined', 'undefined']);
const DEFAULT_FILTERS = new Set(['default', 'd']);

export const isNode = (v: unknown): v is TemplateNode => typeof v === 'object' && v !== null && typeof (v as TemplateNode).typename === 'string';

/** The sub-trees of a node (its `fields` that hold nodes), shared with the template sandbox's check. */
export function children(n: TemplateNode): TemplateNode[] {
  const out: TemplateNode[] = [];
  for (const f of n.fields ?? []) {
    const v = n[f];
    if (Array.isArray(v)) out.push(...v.filter(isNode));
    else if (isNode(v)) out.push(v);
  }
  return out;
}

function symbolsIn(n: unknown): TemplateNode[] {
  if (!isNode(n)) return [];
  if (n.typename === 'Symbol') return [n];
  if (n.typename === 'KeywordArgs') return children(n).map((p) => p.key).filter(isNode).filter((k) => k.typename === 'Symbol');
  return children(n).flatMap(symbolsIn);
}

/** Names the template binds (set, for, macro, import). */
function bound(n: TemplateNode, out: Set<string>): void {
  switch (n.typename) {
    case 'Set':
      for (const t of (n.targets as unknown[]) ?? []) for (const s of symbolsIn(t)) out.add(String(s.value));
      break;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      for (const s of symbolsIn(n.name)) out.add(String(s.value));
      break;
    case 'Macro':
    case 'Caller':
      for (const s of [...symbolsIn(n.name), ...symbolsIn(n.args)]) out.add(String(s.value));
      break;
    case 'Import':
      for (const s of symbolsIn(n.target)) out.add(String(s.value));
      break;
    case 'FromImport':
      for (const s of symbolsIn(n.names)) out.add(String(s.value));
      break;
  }
  for (const c of children(n)) bound(c, out);
}

/** Symbols read as values (not binding names, filter or test names, dict keys, keyword names). */
function reads(n: TemplateNode, out: TemplateNode[]): void {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isNode(v)) reads(v, out);
  };
  switch (n.typename) {
    case 'Symbol':
      out.push(n);
      return;
    case 'Pair': // dict entry or keyword argument: a bare key is a name, not a read
      if (isNode(n.key) && n.key.typename !== 'Symbol') visit(n.key);
      visit(n.value);
      return;
    case 'Set':
      visit(n.value);
      visit(n.body);
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      visit(n.arr);
      visit(n.body);
      visit(n.else_);
      return;
    case 'Macro':
    case 'Caller':
      for (const a of isNode(n.args) ? children(n.args) : []) if (a.typename === 'KeywordArgs') visit(a);
      visit(n.body);
      return;
    case 'Filter':
    case 'FilterAsync': {
      const args = isNode(n.args) ? children(n.args) : [];
      const name = isNode(n.name) ? String(n.name.value) : '';
      args.forEach((a, i) => (i === 0 && DEFAULT_FILTERS.has(name) && a.typename === 'Symbol' ? undefined : visit(a)));
      return;
    }
    case 'Is': {
      const test = isNode(n.right) ? n.right : undefined;
      const testName = test?.typename === 'Symbol' ? String(test.value) : isNode(test?.name) ? String(test.name.value) : '';
      if (!(TESTS_OF_DEFINEDNESS.has(testName) && isNode(n.left) && n.left.typename === 'Symbol')) visit(n.left);
      if (test?.typename === 'FunCall') visit(test.args);
      return;
    }
    case 'Block':
      visit(n.body);
      return;
    case 'Import':
    case 'FromImport':
      visit(n.template);
      return;
    case 'CallExtension':
    case 'CallExtensionAsync':
      return;
  }
  for (const c of children(n)) reads(c, out);
}

/**
 * Variables read but defined nowhere, in source order; `null` when the template does not parse
 * (rendering then reports the syntax error with its position).
 */
export function undefinedVariables(text: string, given: Iterable<string>): TemplateVariable[] | null {
  let root: TemplateNode;
  try {
    root = (nunjucks() as unknown as { parser: { parse(src: string): TemplateNode } }).parser.parse(text);
  } catch {
    return null;
  }
  return undefinedVariablesIn(root, given);
}

/** The same for a template already parsed. */
export function undefinedVariablesIn(root: TemplateNode, given: Iterable<string>): TemplateVariable[] {
  const defined = new Set([...BUILTINS, ...given]);
  bound(root, defined);
  const used: TemplateNode[] = [];
  reads(root, used);
  const out = new Map<string, TemplateVariable>();
  for (const s of used.sort((a, b) => a.lineno - b.lineno || a.colno - b.colno)) {
    const name = String(s.value);
    if (!defined.has(name) && !out.has(name)) out.set(name, { name, line: s.lineno + 1, column: s.colno + 1 });
  }
  return [...out.values()];
}
