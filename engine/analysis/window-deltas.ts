/**
 * Reset-on-stride-change for one loop and one data space, over the loop's invocations.
 *
 * The loop's working set is one box W translated by the enclosing loops. At each invocation it is
 * compared with the previous one: the translation t between them is the carry's translation (see
 * invocations.ts). The overlap is reused (delta = W − (W − t)) only while t equals the translation
 * remembered from the first reuse after a reset; a different translation refetches all of W and
 * forgets the remembered one. Sizes are closed form: |W − (W − t)| = |W| − Π max(0, e_r − |t_r|).
 */

/** Which kinds of temporal overlap the analysis may reuse (ablation switches). */
export interface ReusePolicy {
  /** Reuse the overlap of a window translated along one loop (sliding-window / halo reuse). */
  slidingWindow: boolean;
  /** Keep a tile resident across loops that do not move it (translation 0). */
  resident: boolean;
}

/**
 * Delta kinds: the whole working set, nothing, or (≥ 0) the remainder of a partial overlap after
 * the translation of that carry. Equal kinds are equal box lists up to a shift.
 */
const FULL = -1;
const EMPTY = -2;

export interface WindowDeltas {
  /** |W|. */
  size: number;
  /** Ranks of the data space. */
  rank: number;
  /** Per carry m, per rank (flat, m · rank + r): the translation of W when that loop advances. */
  translations: number[];
  /** Per carry m: |W − (W − translation m)|. */
  remainders: number[];
  /** The delta kind of an invocation by its carry (index carry + 1; index 0: the first invocation), and its size. */
  kinds: number[];
  sizes: number[];
}

/**
 * `extents`: W's extent per rank; `steps[m]`: the data-space step of the m-th stepped loop above
 * (innermost first). When loop m advances, the loops inside it go back from iteration 1 to 0, so
 * W moves by step_m − Σ_{l<m} step_l. The kinds are closed form because every step with carry
 * j ≥ 1 follows a step with carry 0 (invocations.ts); let a be carry 0's translation:
 * - a reusable: the first carry-0 step remembers a, and every carry-0 step after it finds a (or
 *   nothing) remembered, so it reuses a. A carry-j step finds a: the same translation is reused,
 *   another one resets to the whole working set (and the next carry-0 step starts over with a).
 * - a not reusable: every carry-0 step resets, so a carry-j step finds nothing remembered and
 *   reuses its own translation if the policy allows.
 */
export function windowDeltas(extents: readonly number[], steps: readonly (readonly number[])[], policy: ReusePolicy): WindowDeltas {
  const rank = extents.length;
  let size = 1;
  for (const e of extents) size *= e;
  const translations: number[] = [];
  const back: number[] = [];
  for (let r = 0; r < rank; r++) back.push(0);
  const remainders: number[] = [];
  const kinds = [FULL];
  const sizes = [size];
  let firstReusable = false;
  for (let m = 0; m < steps.length; m++) {
    let overlap = 1;
    let zero = true;
    let sameAsFirst = true;
    for (let r = 0; r < rank; r++) {
      const t = steps[m][r] - back[r];
      back[r] += steps[m][r];
      translations.push(t);
      overlap *= Math.max(0, extents[r] - Math.abs(t));
      zero &&= t === 0;
      sameAsFirst &&= t === translations[r];
    }
    remainders.push(size - overlap);
    const reusable = zero ? policy.resident : policy.slidingWindow;
    if (m === 0) firstReusable = reusable;
    const reuses = firstReusable ? m === 0 || sameAsFirst : m > 0 && reusable;
    const from = firstReusable ? 0 : m;
    const kind = !reuses ? FULL : remainders[from] === 0 ? EMPTY : remainders[from] === size ? FULL : from;
    kinds.push(kind);
    sizes.push(kind === FULL ? size : kind === EMPTY ? 0 : remainders[kind]);
  }
  return { size, rank, translations, remainders, kinds, sizes };
}

/** Translation of carry m. */
export function carryTranslation(w: WindowDeltas, m: number): number[] {
  return w.translations.slice(m * w.rank, m * w.rank + w.rank);
}
