/**
 * Per-loop facts of the analysed nest (innermost first) that the delta analysis needs: which loops
 * are spatial, which spatial loop is the master of its run (the outermost one, where children's
 * deltas are compared), storage boundaries, replication and fanout, and the geometry of each
 * loop's working set (its extent and the step one iteration of the loop moves it by).
 */

import type { CompiledDataSpace } from '../workload/projection.ts';
import type { NestLoop } from './types.ts';

export interface NestProperties {
  spatial: boolean[];
  master: boolean[];
  boundary: boolean[];
  storageLevel: number[];
  /** Spatial instances of each loop (product of spatial loop ends outside it). */
  replication: number[];
  /** Children fed per instance at a master loop (product of its run's ends), else 1; and X / Y parts. */
  fanout: number[];
  fanoutX: number[];
  fanoutY: number[];
  /** Per loop: product of the ends of the inner loops on its dimension (one iteration's step). */
  stride: number[];
  /** Per loop, per dimension: extent of the operation-space box of the working set at this loop. */
  extent: number[][];
  dimOf: number[];
}

export function nestProperties(loops: NestLoop[], boundaries: number[], dims: string[]): NestProperties {
  const n = loops.length;
  const spatial = loops.map((l) => l.kind !== 'temporal');
  const master = new Array<boolean>(n).fill(false);
  const replication = new Array<number>(n).fill(1);
  let product = 1;
  let prevSpatial = false;
  for (let i = n - 1; i >= 0; i--) {
    replication[i] = product;
    master[i] = spatial[i] && !prevSpatial;
    if (spatial[i]) product *= loops[i].end;
    prevSpatial = spatial[i];
  }
  const fanout = new Array<number>(n).fill(1);
  const fanoutX = new Array<number>(n).fill(1);
  const fanoutY = new Array<number>(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (!master[i]) continue;
    for (let j = i; j >= 0 && spatial[j]; j--) {
      if (loops[j].kind === 'spatial-x') fanoutX[i] *= loops[j].end;
      else fanoutY[i] *= loops[j].end;
    }
    fanout[i] = fanoutX[i] * fanoutY[i];
  }
  const boundary = new Array<boolean>(n).fill(false);
  const storageLevel = new Array<number>(n).fill(0);
  let from = 0;
  boundaries.forEach((b, level) => {
    boundary[b] = true;
    for (; from <= b; from++) storageLevel[from] = level;
  });
  const stride: number[] = [];
  const extent: number[][] = [];
  const scale = new Array<number>(dims.length).fill(1);
  const dimOf = loops.map((l) => dims.indexOf(l.dimension));
  for (let i = 0; i < n; i++) {
    stride.push(scale[dimOf[i]]);
    scale[dimOf[i]] *= loops[i].end;
    extent.push(scale.slice());
  }
  return { spatial, master, boundary, storageLevel, replication, fanout, fanoutX, fanoutY, stride, extent, dimOf };
}

/** Data-space translation (per rank) of one iteration step of loop `i`. */
export function loopStep(p: NestProperties, i: number, ds: CompiledDataSpace): number[] {
  const dim = p.dimOf[i];
  const step = p.stride[i];
  return ds.ranks.map((rank) => {
    let t = 0;
    for (const term of rank) if (term.dim === dim) t += term.coefficient * step;
    return t;
  });
}
