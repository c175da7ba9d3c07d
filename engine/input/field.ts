/**
 * Typed reads of YAML nodes that remember where they came from. A `Field` is a node plus its file
 * and dotted path; every accessor either returns a checked plain value or throws a
 * SparsegaugeError naming file, line/column and field.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { SparsegaugeError, type ErrorKind, type SourcePosition } from '../errors.ts';
import type { Source } from './source.ts';
import { likelyIntended } from './unknown-keys.ts';

export interface Field {
  source: Source;
  /** null/undefined for a key that is absent (then `anchor` locates the parent). */
  node: Node | null | undefined;
  path: string;
  /** The nearest existing node, for positions of absent fields. */
  anchor: Node | null | undefined;
  /** The key node when the field is a mapping value (absent children of it are located there). */
  key?: Node;
  /** When the value was written as an alias (`*id001`): the alias, where errors about it point. */
  alias?: Node;
}

/** `node` with an alias replaced by its anchored node (source.aliases, checked when parsed). */
function follow(source: Source, node: Node | null | undefined): { node: Node | null | undefined; alias?: Node } {
  if (!isAlias(node)) return { node };
  return { node: source.aliases.get(node) ?? null, alias: node };
}

export function rootField(source: Source): Field {
  const { node, alias } = follow(source, source.doc.contents as Node | null);
  return { source, node, path: '', anchor: node, alias };
}

function positionOf(f: Field): SourcePosition | undefined {
  const offset = (f.alias ?? f.node ?? f.anchor)?.range?.[0];
  if (offset === undefined) return undefined;
  const p = f.source.lineCounter.linePos(offset);
  return { line: p.line, column: p.col };
}

export function fail(f: Field, kind: ErrorKind, message: string): never {
  throw new SparsegaugeError(kind, message, { file: f.source.file, position: positionOf(f), field: f.path || '(root)' });
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function isPresent(f: Field): boolean {
  return f.node !== null && f.node !== undefined && !(isScalar(f.node) && f.node.value === null);
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an alias';
}

/**
 * Names of JavaScript object machinery. Spec names (levels, data spaces, dimensions, actions,
 * attributes) become keys of the engine's tables and of the result, so these are refused wherever a
 * key or string is read rather than special-cased in every table.
 */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']);

function refuseReserved(f: Field, name: string): void {
  if (RESERVED_NAMES.has(name)) fail(f, 'value', `'${name}' cannot be used as a name (it is a property of every JavaScript object); rename it`);
}

/**
 * A key (or attribute) the model does not read at this place: an error when the load is strict or
 * the key is a near miss of one it reads (`readHere`), else listed once as a warning and ignored.
 * `f` is the key's field (positioned at the key).
 */
export function unknownKey(f: Field, key: string, readHere: readonly string[], options: { what?: string; strictReason?: string } = {}): void {
  const what = options.what ?? 'key';
  const intended = likelyIntended(key, readHere);
  if (intended !== undefined) fail(f, 'schema', `unknown ${what} '${key}' (did you mean '${intended}'?)`);
  if (f.source.keys.strict) {
    fail(f, 'schema', `unknown ${what} '${key}'${options.strictReason ?? (readHere.length ? ` (expected one of: ${readHere.join(', ')})` : '')}`);
  }
  const node = (f.key ?? f.node ?? f.anchor) as Node;
  const log = f.source.keys.unknown;
  const seen = log.get(key);
  if (seen) seen.nodes.add(node);
  else {
    const p = positionOf({ ...f, node });
    const where = p ? `${f.source.file}:${p.line}:${p.column}` : f.source.file;
    const place = f.path === key ? '' : f.path.endsWith(`.${key}`) ? f.path.slice(0, -key.length - 1) : f.path;
    log.set(key, { where, place, nodes: new Set([node]) });
  }
}

/**
 * Keys of a mapping as fields. `allowed` lists the keys the model reads there; any other key goes
 * through `unknownKey` (a warning and left out of the result, or an error).
 */
/** A `<<` merge key (the parser gives it as a symbol). */
const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/**
 * The pairs of a mapping with merge keys applied (YAML 1.1 `<<: *base` or `<<: [*a, *b]`, as
 * yaml-cpp reads them): a key written in the mapping wins over a merged one, and an earlier merged
 * mapping over a later one. Merged pairs keep their own nodes, so errors point where they are written.
 */
function mergedPairs(f: Field, map: Node): Pair<Node, Node | null>[] {
  const own = (map as unknown as { items: Pair<Node, Node | null>[] }).items;
  if (!own.some((p) => isMergeKey(p.key))) return own;
  const explicit = own.filter((p) => !isMergeKey(p.key));
  const seen = new Set(explicit.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const out = [...explicit];
  for (const m of own.filter((p) => isMergeKey(p.key))) {
    const value = follow(f.source, m.value);
    const sources = isSeq(value.node) ? (value.node.items as Node[]).map((n) => follow(f.source, n)) : [value];
    for (const src of sources) {
      const where: Field = { source: f.source, node: src.node, path: `${f.path}.<<`, anchor: m.key, alias: src.alias };
      if (!isMap(src.node)) fail(where, 'schema', `a merge key (<<) takes a mapping or a list of mappings, found ${describe(src.node)}`);
      for (const p of mergedPairs(where, src.node)) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(p);
      }
    }
  }
  return out;
}

export function mapFields(f: Field, allowed?: readonly string[]): Map<string, Field> {
  if (!isMap(f.node)) fail(f, 'schema', `expected a mapping, found ${describe(f.node)}`);
  const out = new Map<string, Field>();
  for (const pair of mergedPairs(f, f.node)) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyField: Field = { source: f.source, node: pair.key, path: f.path, anchor: pair.key };
    if (key === undefined) fail(keyField, 'schema', 'mapping keys must be plain scalars');
    const value = follow(f.source, pair.value);
    const child: Field = { source: f.source, node: value.node, path: join(f.path, key), anchor: value.node ?? pair.key, key: pair.key, alias: value.alias };
    refuseReserved({ ...child, node: pair.key }, key);
    if (allowed && !allowed.includes(key)) {
      unknownKey({ ...child, node: pair.key }, key, allowed);
      continue;
    }
    out.set(key, child);
  }
  return out;
}

/**
 * The child `key` of a mapping read with mapFields; absent keys give a field with no node, located
 * at the parent's key (`instance:`) or, for a list item, at the item.
 */
export function child(parent: Field, fields: Map<string, Field>, key: string): Field {
  return fields.get(key) ?? { source: parent.source, node: undefined, path: join(parent.path, key), anchor: parent.key ?? parent.node ?? parent.anchor };
}

/** Positions of dotted field paths, so errors raised after loading can name file and line. */
export type FieldPositions = Record<string, { file: string; position: SourcePosition }>;

/** Records where `f` is under `path` (for SpecOrigin.positions). */
export function rememberPosition(positions: FieldPositions, path: string, f: Field): void {
  const p = positionOf(f);
  if (p) positions[path] = { file: f.source.file, position: p };
}

/** A list item's field renamed by its name (`local[3]` → `local[MACs]`), so errors say which item. */
export function namedItem(f: Field, name: string): Field {
  return { ...f, path: f.path.replace(/\[\d+\]$/, `[${name}]`) };
}

export function required(parent: Field, fields: Map<string, Field>, key: string): Field {
  const f = child(parent, fields, key);
  if (!isPresent(f)) fail(f, 'schema', `missing required field '${key}'`);
  return f;
}

export function seqFields(f: Field): Field[] {
  if (!isSeq(f.node)) fail(f, 'schema', `expected a list, found ${describe(f.node)}`);
  return (f.node.items as (Node | null)[]).map((item, i) => {
    const { node, alias } = follow(f.source, item);
    return { source: f.source, node, path: join(f.path, i), anchor: node ?? f.node, alias };
  });
}

/** A list, or nothing when the field is absent. */
export function optionalSeq(f: Field): Field[] {
  return isPresent(f) ? seqFields(f) : [];
}

export function scalarValue(f: Field): unknown {
  if (!isScalar(f.node)) fail(f, 'schema', `expected a value, found ${describe(f.node)}`);
  return f.node.value;
}

export function stringValue(f: Field): string {
  const v = scalarValue(f);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string' || v === '') fail(f, 'schema', `expected a non-empty string, found ${describe(f.node)}`);
  refuseReserved(f, v);
  return v;
}

export function numberValue(f: Field): number {
  const v = scalarValue(f);
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(f, 'schema', `expected a number, found ${describe(f.node)}`);
  return v;
}

export function integerValue(f: Field, min: number): number {
  const v = numberValue(f);
  if (!Number.isInteger(v)) fail(f, 'value', `expected an integer, found ${v}`);
  if (v < min) fail(f, 'value', `expected an integer >= ${min}, found ${v}`);
  return v;
}

export function booleanValue(f: Field): boolean {
  const v = scalarValue(f);
  if (typeof v !== 'boolean') fail(f, 'schema', `expected true or false, found ${describe(f.node)}`);
  return v;
}

export function stringList(f: Field): string[] {
  return seqFields(f).map(stringValue);
}
