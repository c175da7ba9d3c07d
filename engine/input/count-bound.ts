/**
 * One bound on every count the engine derives, checked before evaluating (docs/numeric-limits.md):
 * with P the algorithmic computes (the product of the dimension sizes) and, per data space t,
 * E_t its tile expansion (below), every read, fill and update of t at any level, summed over
 * instances, is at most P·E_t; a level's totals add at most three of them per data space, and
 * format and address-generation counts at most two. So 3·P·Σ_t E_t bounds every count of the
 * nest, and when it is within 2^53 − 1 no count is rounded. Cycles under bandwidth throttling
 * are not bounded by it (a slow link stretches them); the result guard checks them.
 *
 * Why P·E_t: a level's fills of t are, per iteration of the loops above it and per instance, at
 * most the tile, the data points a box of iterations projects to; there are P / |box| such
 * (iteration, instance) pairs. A rank's extent over a box is Σ_i c_i·(b_i − 1) + 1 ≤
 * max(1, Σ_i c_i)·Π_i b_i, so the tile is at most |box| · E_t with
 *   E_t = Π_rank max(1, Σ_i c_i) · Π_d size_d^(m_d − 1)
 * where m_d ≥ 1 counts how often dimension d appears in t's projection (once in every usual one).
 */
import { SparsegaugeError } from '../errors.ts';
import type { Spec } from './types.ts';
import { MAX_EXACT_COUNT } from './numbers.ts';

const MAX = BigInt(MAX_EXACT_COUNT);

/** E_t for each data space (exact). */
export function tileExpansions(spec: Spec): Map<string, bigint> {
  const { bounds, dataSpaces } = spec.problem;
  const out = new Map<string, bigint>();
  for (const ds of dataSpaces) {
    let e = 1n;
    const uses = new Map<string, number>();
    for (const rank of ds.projection) {
      let coefficients = 0n;
      for (const term of rank) {
        coefficients += BigInt(term.coefficient);
        uses.set(term.dimension, (uses.get(term.dimension) ?? 0) + 1);
      }
      e *= coefficients > 1n ? coefficients : 1n;
    }
    for (const [d, m] of uses) e *= BigInt(bounds[d]) ** BigInt(m - 1);
    out.set(ds.name, e);
  }
  return out;
}

/** Refuse a spec whose counts could pass 2^53 − 1 (value error naming the problem file). */
/**
 * The bound 3 x computes x Σ expansions in doubles: exact while below 2^53, so a value far below
 * it (2^50) proves the exact BigInt bound is too, without BigInt arithmetic on every evaluation.
 */
function boundAsDouble(spec: Spec): number {
  const { bounds, dimensions, dataSpaces } = spec.problem;
  let computes = 1;
  for (const d of dimensions) computes *= bounds[d];
  let expansion = 0;
  for (const ds of dataSpaces) {
    let e = 1;
    const uses = new Map<string, number>();
    for (const rank of ds.projection) {
      let coefficients = 0;
      for (const term of rank) {
        coefficients += term.coefficient;
        uses.set(term.dimension, (uses.get(term.dimension) ?? 0) + 1);
      }
      e *= coefficients > 1 ? coefficients : 1;
    }
    for (const [d, m] of uses) e *= bounds[d] ** (m - 1);
    expansion += e;
  }
  return 3 * computes * expansion;
}

export function checkCountBound(spec: Spec): void {
  if (boundAsDouble(spec) < 2 ** 50) return;
  const { bounds, dimensions } = spec.problem;
  const file = spec.origin.files.problem;
  let computes = 1n;
  for (const d of dimensions) computes *= BigInt(bounds[d]);
  const sizes = dimensions.map((d) => `${d}=${bounds[d]}`).join(' x ');
  if (computes > MAX) {
    throw new SparsegaugeError('value', `the algorithmic computes (${sizes} = ${computes}) exceed 2^53 - 1, the largest count the model computes exactly`, {
      file,
      field: 'problem.instance',
    });
  }
  let expansion = 0n;
  const expansions = tileExpansions(spec);
  for (const e of expansions.values()) expansion += e;
  const bound = 3n * computes * expansion;
  if (bound > MAX) {
    const per = [...expansions].map(([t, e]) => `${t} ${e}`).join(', ');
    throw new SparsegaugeError(
      'value',
      `access counts may reach 3 x computes (${computes}) x tile expansions (${per}) = ${bound}, beyond 2^53 - 1, the largest count the model computes exactly (a smaller problem or smaller coefficients)`,
      { file, field: 'problem.instance' },
    );
  }
}
