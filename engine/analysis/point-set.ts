/** Axis-aligned boxes in a data space (half-open [min, max) per rank): a working set is one. */

export interface Box {
  min: number[];
  max: number[];
}

export function boxSize(b: Box): number {
  let s = 1;
  for (let r = 0; r < b.min.length; r++) s *= b.max[r] - b.min[r];
  return s;
}
