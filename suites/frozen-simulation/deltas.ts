/**
 * Temporal and spatial deltas: what each loop of the nest must receive from the level above.
 *
 * A small recursive evaluation of the loop nest that follows Timeloop's extrapolation exactly:
 * - a temporal loop with n iterations evaluates iterations 0 and 1 only and counts iteration 1's
 *   delta n−1 times (the inner recursion runs with epochs·(n−1));
 * - a spatial fanout simulates only its first child; the others' deltas are copies translated by
 *   the per-step translation of the working set;
 * - each loop keeps the working set of its previous invocation and subtracts it from the current
 *   one only while the translation between consecutive working sets stays the same
 *   (reset-on-stride-change), so a window slides along one loop's sweep but any jump made by an
 *   enclosing loop refetches the whole tile.
 * The cost is 2^(temporal loops with n ≥ 2) working-set evaluations, independent of problem size.
 */

import type { CompiledProblem } from '../../engine/workload/projection.ts';
import { projectBox } from './projection.ts';
import type { AccessClass, NestLoop } from '../../engine/analysis/types.ts';
// The record types are the engine's: the simulation must produce exactly what the closed form does.
import type { DeltaAnalysis, DeltaInputs, LoopRecord } from '../../engine/analysis/deltas.ts';
import {
  type BoxSet,
  isZero,
  sameVector,
  setEquals,
  setKey,
  setSize,
  subtract,
  translate,
  translation,
} from './point-set.ts';

interface LoopState {
  last: (BoxSet | null)[];
  lastTranslation: (number[] | null)[];
  maxSize: number[];
  access: Map<string, AccessClass>[];
  linkTransfers: number[];
  prevSpatialDeltas: Map<number, BoxSet[]> | null;
}

interface NestProperties {
  spatial: boolean[];
  master: boolean[];
  boundary: boolean[];
  storageLevel: number[];
  replication: number[];
  fanout: number[];
  fanoutX: number[];
  fanoutY: number[];
  /** Per loop, per dimension: product of the ends of the inner loops on that dimension. */
  stride: number[][];
  /** Per loop, per dimension: extent of the working set at this loop, minus 1. */
  moldHigh: number[][];
  dimOf: number[];
}

function nestProperties(loops: NestLoop[], boundaries: number[], dims: string[]): NestProperties {
  const n = loops.length;
  const dimIndex = new Map(dims.map((d, i) => [d, i] as const));
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
  const stride: number[][] = [];
  const moldHigh: number[][] = [];
  const scale = new Array<number>(dims.length).fill(1);
  const dimOf = loops.map((l) => dimIndex.get(l.dimension) as number);
  for (let i = 0; i < n; i++) {
    stride.push(scale.slice());
    scale[dimOf[i]] *= loops[i].end;
    moldHigh.push(scale.map((s) => s - 1));
  }
  return { spatial, master, boundary, storageLevel, replication, fanout, fanoutX, fanoutY, stride, moldHigh, dimOf };
}

export function analyseDeltas(input: DeltaInputs): DeltaAnalysis {
  const { problem, loops, reuse } = input;
  const dataSpaces = problem.dataSpaces;
  const nDs = dataSpaces.length;
  const p = nestProperties(loops, input.boundaries, problem.dimensions);
  const states: LoopState[] = loops.map(() => ({
    last: new Array(nDs).fill(null),
    lastTranslation: new Array(nDs).fill(null),
    maxSize: new Array(nDs).fill(0),
    access: Array.from({ length: nDs }, () => new Map<string, AccessClass>()),
    linkTransfers: new Array(nDs).fill(0),
    prevSpatialDeltas: null,
  }));
  const transform = new Array<number>(problem.dimensions.length).fill(0);
  let epochs = 1;
  let computes = 0;

  // The matrix is keyed by (multicast, scatter) of each invocation; invocations accumulate.
  const addAccess = (state: LoopState, ds: number, m: number, scatter: number, accesses: number): void => {
    const key = `${m},${scatter}`;
    const entry = state.access[ds].get(key);
    if (entry) entry.accesses += accesses;
    else state.access[ds].set(key, { multicast: m, scatter, accesses });
  };

  const workingSet = (i: number): BoxSet[] => {
    const low = transform;
    const high = transform.map((t, d) => t + p.moldHigh[i][d]);
    return dataSpaces.map((ds) => [projectBox(ds, low, high)]);
  };

  // Subtract the previous working set unless the stride changed (see file comment).
  const deltaAgainstLast = (state: LoopState, current: BoxSet[]): BoxSet[] =>
    current.map((cur, ds) => {
      const prev = state.last[ds];
      const rank = dataSpaces[ds].ranks.length;
      const t = prev !== null && setSize(prev) > 0 ? translation(prev, cur, rank) : null;
      const prevT = state.lastTranslation[ds];
      const policyAllows = t === null || (isZero(t) ? reuse.resident : reuse.slidingWindow);
      if (policyAllows && (prevT === null || (t !== null && sameVector(t, prevT)))) {
        const delta = prev === null ? cur : subtract(cur, prev);
        if (prevT === null) state.lastTranslation[ds] = t;
        state.last[ds] = cur;
        return delta;
      }
      state.last[ds] = cur;
      state.lastTranslation[ds] = null;
      return cur;
    });

  const computeDeltas = (i: number): BoxSet[] => {
    if (p.spatial[i]) computeSpatial(i);
    else computeTemporal(i);
    const ws = workingSet(i);
    const state = states[i];
    if (p.boundary[i] || p.master[i]) {
      ws.forEach((set, ds) => {
        state.maxSize[ds] = Math.max(state.maxSize[ds], setSize(set));
      });
    }
    return deltaAgainstLast(state, ws);
  };

  const computeTemporal = (i: number): void => {
    const n = loops[i].end;
    const state = states[i];
    if (i === 0) {
      const body = n * epochs;
      computes += body;
      for (let ds = 0; ds < nDs; ds++) addAccess(state, ds, 1, 1, body);
      return;
    }
    const dim = p.dimOf[i];
    const scale = p.stride[i][dim];
    const saved = transform[dim];
    const finalSizes = new Array<number>(nDs).fill(0);
    const first = computeDeltas(i - 1);
    first.forEach((set, ds) => (finalSizes[ds] += setSize(set)));
    transform[dim] += scale;
    if (n >= 2) {
      const savedEpochs = epochs;
      epochs *= n - 1;
      const second = computeDeltas(i - 1);
      epochs = savedEpochs;
      second.forEach((set, ds) => (finalSizes[ds] += setSize(set) * (n - 1)));
    }
    transform[dim] = saved;
    if (p.boundary[i - 1]) {
      for (let ds = 0; ds < nDs; ds++) addAccess(state, ds, 1, 1, finalSizes[ds] * epochs);
    }
  };

  const translationAt = (level: number): number[][] => {
    const dim = p.dimOf[level];
    const step = p.stride[level][dim];
    return dataSpaces.map((ds) =>
      ds.ranks.map((rank) => rank.reduce((acc, t) => acc + (t.dim === dim ? t.coefficient * step : 0), 0)),
    );
  };

  const fillSpatialDeltas = (
    i: number,
    deltas: Map<number, BoxSet[]>,
    baseIn: number,
    exStrideIn: number,
    exLevelIn: number,
  ): void => {
    const end = loops[i].end;
    const base = baseIn * end;
    const dim = p.dimOf[i];
    if (i === 0) {
      // Spatial loop directly above the arithmetic units: each child computes one point.
      for (let idx = 0; idx < end; idx++) {
        const point = transform.slice();
        point[dim] += idx;
        deltas.set(base + idx, dataSpaces.map((ds) => [projectBox(ds, point, point)]));
      }
      computes += epochs;
      return;
    }
    const scale = p.stride[i][dim];
    const saved = transform[dim];
    if (p.spatial[i - 1]) {
      for (let idx = 0; idx < end; idx++) {
        const extrapolate = idx >= 1;
        fillSpatialDeltas(i - 1, deltas, base + idx, extrapolate ? 1 : exStrideIn * end, extrapolate ? i : exLevelIn);
        transform[dim] += scale;
      }
    } else {
      let exStride = exStrideIn;
      let exLevel = exLevelIn;
      let start = 0;
      if (exStride === 0) {
        deltas.set(base, computeDeltas(i - 1));
        transform[dim] += scale;
        start = 1;
        exStride = 1;
        exLevel = i;
      } else exStride *= end;
      if (start < end) {
        const t = translationAt(exLevel);
        for (let idx = start; idx < end; idx++) {
          const src = deltas.get(base + idx - exStride) as BoxSet[];
          deltas.set(base + idx, src.map((set, ds) => translate(set, t[ds])));
        }
      }
    }
    transform[dim] = saved;
  };

  const multicastClasses = (
    deltas: Map<number, BoxSet[]>,
    skip: Set<number>[] | null,
  ): { classes: Map<number, { scatter: number; accesses: number }>[]; total: number[] } => {
    const classes = dataSpaces.map(() => new Map<number, { scatter: number; accesses: number }>());
    const total = new Array<number>(nDs).fill(0);
    for (let ds = 0; ds < nDs; ds++) {
      const groups = new Map<string, { set: BoxSet; count: number }>();
      for (const [idx, perDs] of deltas) {
        if (skip && skip[ds].has(idx)) continue;
        const set = perDs[ds];
        const key = setKey(set);
        const g = groups.get(key);
        if (g && setEquals(g.set, set)) g.count++;
        else groups.set(key, { set, count: 1 });
      }
      for (const g of groups.values()) {
        const size = setSize(g.set);
        if (size === 0) continue;
        const c = classes[ds].get(g.count) ?? { scatter: 0, accesses: 0 };
        c.scatter++;
        c.accesses += size * epochs;
        classes[ds].set(g.count, c);
        total[ds] += size * epochs;
      }
    }
    return { classes, total };
  };

  // Children whose delta equals a grid neighbour's previous delta can get it over a link.
  const linkReuse = (i: number, deltas: Map<number, BoxSet[]>): { reused: Set<number>[]; transfers: number[] } => {
    const state = states[i];
    const prev = state.prevSpatialDeltas;
    const phys = input.physicalFanout[p.storageLevel[i]] ?? { x: 1, y: 1 };
    const h = Math.max(phys.x, p.fanoutX[i]);
    const v = Math.max(phys.y, p.fanoutY[i]);
    const reused = dataSpaces.map(() => new Set<number>());
    const compare = (cur: number, other: number): void => {
      const c = deltas.get(cur);
      const o = prev?.get(other);
      if (!c || !o) return;
      for (let ds = 0; ds < nDs; ds++) {
        if (setSize(c[ds]) > 0 && setEquals(c[ds], o[ds])) reused[ds].add(cur);
      }
    };
    if (prev) {
      if (v > 1) {
        for (let x = 0; x < h; x++) {
          for (let y = 1; y < v; y++) compare(y * h + x, (y - 1) * h + x);
          for (let y = 0; y < v - 1; y++) compare(y * h + x, (y + 1) * h + x);
        }
      }
      if (h > 1) {
        for (let y = 0; y < v; y++) {
          for (let x = 1; x < h; x++) compare(y * h + x, y * h + x - 1);
          for (let x = 0; x < h - 1; x++) compare(y * h + x, y * h + x + 1);
        }
      }
    }
    const transfers = new Array<number>(nDs).fill(0);
    for (const [idx, perDs] of deltas) {
      for (let ds = 0; ds < nDs; ds++) if (reused[ds].has(idx)) transfers[ds] += setSize(perDs[ds]) * epochs;
    }
    state.prevSpatialDeltas = deltas;
    return { reused, transfers };
  };

  const computeSpatial = (i: number): void => {
    const deltas = new Map<number, BoxSet[]>();
    fillSpatialDeltas(i, deltas, 0, 0, i);
    const without = multicastClasses(deltas, null);
    const link = linkReuse(i, deltas);
    const anyReuse = link.reused.some((r) => r.size > 0);
    const withLinks = anyReuse ? multicastClasses(deltas, link.reused) : without;
    const state = states[i];
    for (let ds = 0; ds < nDs; ds++) {
      let chosen = without.classes[ds];
      if (withLinks.total[ds] < without.total[ds]) {
        state.linkTransfers[ds] += link.transfers[ds];
        chosen = withLinks.classes[ds];
      }
      for (const [m, c] of chosen) addAccess(state, ds, m, c.scatter, c.accesses);
    }
  };

  computeDeltas(loops.length - 1);

  const records: LoopRecord[] = [];
  loops.forEach((_, i) => {
    if (p.spatial[i] && !p.master[i]) return;
    const s = states[i];
    records.push({
      loopIndex: i,
      size: s.maxSize.slice(),
      access: s.access.map((m) => [...m.values()].map((c) => ({ ...c }))),
      linkTransfers: s.linkTransfers.slice(),
      replication: p.replication[i],
      fanout: p.fanout[i],
      boundary: p.boundary[i],
      master: p.master[i],
    });
  });
  return { records, computesPerInstance: computes };
}
