/**
 * What a spec may hold that the model does not read. Timeloop ignores keys it does not look up
 * (Accelergy plug-in attributes, keys for other tools), so by default such a key is accepted and
 * listed once as a positioned warning. Two exceptions keep typo protection cheap:
 * - a key close to one the model reads at that place (see `isNearMiss`) is an error naming it;
 * - with `strict`, every unknown key is an error (the behaviour before warnings existed).
 *
 * One `KeyPolicy` is shared by every file of one load; it collects the warnings.
 */
import type { Node } from 'yaml';

export interface KeyPolicy {
  readonly strict: boolean;
  /** Unknown keys by name, in the order first met. */
  readonly unknown: Map<string, UnknownKey>;
}

export interface UnknownKey {
  /** `file:line:col` of the first occurrence */
  where: string;
  /** dotted path of the mapping holding it (first occurrence) */
  place: string;
  /** distinct key nodes seen (a node may be read more than once) */
  nodes: Set<Node>;
}

export function keyPolicy(strict = false): KeyPolicy {
  return { strict, unknown: new Map() };
}

/** One sentence per unknown key, as `meta.warnings` lists it. */
export function unknownKeyWarnings(policy: KeyPolicy): string[] {
  return [...policy.unknown].map(([key, u]) => {
    const more = u.nodes.size > 1 ? ` (and ${u.nodes.size - 1} more place${u.nodes.size > 2 ? 's' : ''})` : '';
    return `${u.where}: unknown key '${key}' in ${u.place || '(root)'} ignored, not read by the model${more}`;
  });
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), the usual typo
 * measure: `meshx`/`meshX` 1, `datawdith`/`datawidth` 1, `permutaion`/`permutation` 1.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A key within 2 edits of a read key (1 edit when either has at most 5 characters, so short keys
 * such as `type`, `keep`, `name` do not swallow unrelated words) is taken for a typo of it. Case
 * and `-`/`_` differences count as edits: Timeloop reads keys verbatim.
 */
export function isNearMiss(key: string, candidate: string): boolean {
  const limit = Math.min(key.length, candidate.length) <= 5 ? 1 : 2;
  return Math.abs(key.length - candidate.length) <= limit && editDistance(key, candidate) <= limit;
}

/** The read key `key` is most likely a typo of, if any. */
export function likelyIntended(key: string, readHere: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const c of readHere) {
    if (!isNearMiss(key, c)) continue;
    const d = editDistance(key, c);
    if (!best || d < best.d) best = { key: c, d };
  }
  return best?.key;
}
