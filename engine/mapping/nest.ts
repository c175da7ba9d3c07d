/**
 * The loop nest built from a normalized mapping. Each storage level contributes its spatial
 * loops (fanout to its children: X loops inner, then Y) inside its temporal loops. The analysed
 * nest drops unit loops but keeps one placeholder temporal loop per level that has none, so every
 * storage level has a boundary loop; the complete nest keeps every loop.
 */

import type { Spec } from '../input/types.ts';
import type { LoopKind, NestLoop } from '../analysis/types.ts';

export interface LevelNest {
  /** Analysed nest, innermost first. */
  loops: NestLoop[];
  /** Complete nest (unit loops kept), innermost first. */
  completeLoops: NestLoop[];
  /** Per storage level: index in `loops` of its outermost (boundary) loop. */
  boundaries: number[];
}

export function buildNest(spec: Spec): LevelNest {
  const dims = spec.problem.dimensions;
  const placeholderDim = dims[dims.length - 1];
  const loops: NestLoop[] = [];
  const completeLoops: NestLoop[] = [];
  const boundaries: number[] = [];
  spec.mapping.levels.forEach((lm, level) => {
    const spatial: [LoopKind, typeof lm.spatial.x][] = [
      ['spatial-x', lm.spatial.x],
      ['spatial-y', lm.spatial.y],
    ];
    for (const [kind, list] of spatial) {
      for (const l of list) {
        const loop: NestLoop = { dimension: l.dimension, start: 0, end: l.end, kind, level };
        completeLoops.push(loop);
        if (l.end > 1) loops.push(loop);
      }
    }
    let added = 0;
    for (const l of lm.temporal) {
      const loop: NestLoop = { dimension: l.dimension, start: 0, end: l.end, kind: 'temporal', level };
      completeLoops.push(loop);
      if (l.end > 1) {
        loops.push(loop);
        added++;
      }
    }
    if (added === 0) loops.push({ dimension: placeholderDim, start: 0, end: 1, kind: 'temporal', level });
    boundaries.push(loops.length - 1);
  });
  return { loops, completeLoops, boundaries };
}
