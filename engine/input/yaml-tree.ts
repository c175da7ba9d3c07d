/**
 * One linear pass over a parsed YAML document, for what the yaml library would do in quadratic
 * time or not at all: duplicate keys (its `uniqueKeys` compares every pair of keys, 60,000 keys
 * took minutes), alias targets (its `Alias.resolve` scans the whole document per alias), and the
 * size aliases expand to, bounded so an alias bomb ("billion laughs") or a cycle is an error rather
 * than a hang. Field reads (field.ts) then follow aliases through the map returned here.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type LineCounter, type Node } from 'yaml';
import { SparsegaugeError } from '../errors.ts';

/** Nodes aliases may add beyond the document's own: far above anchors in real specs, cheap to walk. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

export type AliasTargets = ReadonlyMap<Node, Node>;

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'symbol' ? `symbol:${v.description}` : `${typeof v}:${String(v)}`;
}

export function checkYamlTree(doc: Document.Parsed, lineCounter: LineCounter, file: string): AliasTargets {
  const fail = (node: Node | undefined, message: string): never => {
    const offset = node?.range?.[0];
    const p = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new SparsegaugeError('yaml-syntax', message, { file, position: p ? { line: p.line, column: p.col } : undefined });
  };
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  let nodes = 0;
  visit(doc, {
    Node(_key, node) {
      nodes++;
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) fail(node, `alias *${node.source} refers to no anchor defined before it`);
        targets.set(node, target!);
        return;
      }
      // an anchor is defined where its node begins: aliases inside the node refer to it (a cycle, found below)
      if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          const k = keyText(pair.key);
          if (k === undefined) continue;
          if (seen.has(k)) fail(pair.key as Node, 'Map keys must be unique');
          seen.add(k);
        }
      }
    },
  });
  if (targets.size === 0) return targets;

  // Expanded size, memoized per node (linear), with aliases inside their own anchor refused.
  const size = new Map<Node, number>();
  const open = new Set<Node>();
  const cap = nodes + MAX_ALIAS_EXPANSION + 1;
  const sizeOf = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    const n = node as Node;
    const known = size.get(n);
    if (known !== undefined) return known;
    if (open.has(n)) fail(n, 'an alias refers to a node that contains it (a cycle)');
    open.add(n);
    let total = 1;
    if (isAlias(n)) {
      const target = targets.get(n);
      if (target && open.has(target)) fail(n, 'an alias refers to a node that contains it (a cycle)');
      total = sizeOf(target);
    }
    else if (isMap(n)) for (const p of n.items) total += (isPair(p) ? sizeOf(p.key) + sizeOf(p.value) : 0);
    else if (isSeq(n)) for (const item of n.items) total += sizeOf(item);
    open.delete(n);
    total = Math.min(total, cap);
    size.set(n, total);
    return total;
  };
  if (sizeOf(doc.contents) - nodes > MAX_ALIAS_EXPANSION) {
    fail(doc.contents as Node, `aliases expand the document by more than ${MAX_ALIAS_EXPANSION} nodes`);
  }
  return targets;
}
