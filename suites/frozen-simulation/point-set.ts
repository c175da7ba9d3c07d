/**
 * Point sets as lists of axis-aligned boxes (half-open [min, max) per rank). Working sets are
 * single boxes; deltas (a box minus another) may split into several. Equality is set equality of
 * the box lists, as Timeloop compares deltas for multicast.
 */

export interface Box {
  min: number[];
  max: number[];
}

export type BoxSet = Box[];

export function boxSize(b: Box): number {
  let s = 1;
  for (let r = 0; r < b.min.length; r++) s *= b.max[r] - b.min[r];
  return s;
}

export function setSize(set: BoxSet): number {
  let s = 0;
  for (const b of set) s += boxSize(b);
  return s;
}

function boxEquals(a: Box, b: Box): boolean {
  for (let r = 0; r < a.min.length; r++) if (a.min[r] !== b.min[r] || a.max[r] !== b.max[r]) return false;
  return true;
}

/** a − b as disjoint boxes (slabs peeled rank by rank). */
function boxMinus(a: Box, b: Box, out: BoxSet): void {
  const n = a.min.length;
  for (let r = 0; r < n; r++) {
    if (a.max[r] <= b.min[r] || b.max[r] <= a.min[r]) {
      out.push(a);
      return;
    }
  }
  const mid: Box = { min: a.min.slice(), max: a.max.slice() };
  for (let r = 0; r < n; r++) {
    if (mid.min[r] < b.min[r]) {
      const left: Box = { min: mid.min.slice(), max: mid.max.slice() };
      left.max[r] = b.min[r];
      out.push(left);
      mid.min[r] = b.min[r];
    }
    if (b.max[r] < mid.max[r]) {
      const right: Box = { min: mid.min.slice(), max: mid.max.slice() };
      right.min[r] = b.max[r];
      out.push(right);
      mid.max[r] = b.max[r];
    }
  }
}

export function subtract(set: BoxSet, other: BoxSet): BoxSet {
  let cur = set;
  for (const b of other) {
    const next: BoxSet = [];
    for (const a of cur) boxMinus(a, b, next);
    cur = next;
  }
  return cur;
}

export function setEquals(a: BoxSet, b: BoxSet): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => boxEquals(x, y)));
}

/** Canonical key: equal sets (as compared by setEquals for duplicate-free lists) get equal keys. */
export function setKey(set: BoxSet): string {
  const parts = set.map((b) => b.min.join(',') + ':' + b.max.join(','));
  if (parts.length > 1) parts.sort();
  return parts.join('|');
}

/** C's round(): halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function weightedCentroid(set: BoxSet, rank: number): { c: number[]; size: number } {
  const c = new Array(rank).fill(0);
  let total = 0;
  for (const b of set) {
    const s = boxSize(b);
    for (let r = 0; r < rank; r++) c[r] += (b.min[r] + (b.max[r] - 1 - b.min[r]) / 2) * s;
    total += s;
  }
  if (total !== 0) for (let r = 0; r < rank; r++) c[r] /= total;
  return { c, size: total };
}

/** Translation from `from` to `to`: rounded difference of size-weighted centroids (0 if either is empty). */
export function translation(from: BoxSet, to: BoxSet, rank: number): number[] {
  const a = weightedCentroid(from, rank);
  const b = weightedCentroid(to, rank);
  const t = new Array(rank).fill(0);
  if (a.size > 0 && b.size > 0) for (let r = 0; r < rank; r++) t[r] = roundHalfAway(b.c[r] - a.c[r]);
  return t;
}

export function translate(set: BoxSet, t: readonly number[]): BoxSet {
  return set.map((b) => ({ min: b.min.map((v, r) => v + t[r]), max: b.max.map((v, r) => v + t[r]) }));
}

export function isZero(t: readonly number[]): boolean {
  return t.every((v) => v === 0);
}

export function sameVector(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
