/** Projection of an operation-space box onto a data space, as the frozen simulation needs it. */
import type { CompiledDataSpace } from '../../engine/workload/projection.ts';
import type { Box } from './point-set.ts';

/** Projects the operation-space box [low, high] (both inclusive) onto a data space. */
export function projectBox(ds: CompiledDataSpace, low: readonly number[], high: readonly number[]): Box {
  const min: number[] = new Array(ds.ranks.length);
  const max: number[] = new Array(ds.ranks.length);
  for (let r = 0; r < ds.ranks.length; r++) {
    let lo = 0;
    let hi = 0;
    for (const t of ds.ranks[r]) {
      // A negative coefficient swaps which corner gives the low end.
      if (t.coefficient < 0) {
        lo += high[t.dim] * t.coefficient;
        hi += low[t.dim] * t.coefficient;
      } else {
        lo += low[t.dim] * t.coefficient;
        hi += high[t.dim] * t.coefficient;
      }
    }
    min[r] = lo;
    max[r] = hi + 1;
  }
  return { min, max };
}
