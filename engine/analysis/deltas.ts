/**
 * Temporal and spatial deltas: what each loop of the nest must receive from the level above.
 *
 * Reproduces Timeloop's extrapolating nest simulation in closed form per loop:
 * - a temporal loop with n iterations simulates iterations 0 and 1 and counts iteration 1 n−1
 *   times, so each loop sees a binary-counter sequence of invocations (invocations.ts);
 * - reset-on-stride-change decides per invocation whether a working set's overlap with the
 *   previous one is reused (window-deltas.ts);
 * - a spatial run simulates its first child; the others get translated copies, so multicast
 *   classes and neighbour links follow from the child translations (spatial-children.ts,
 *   spatial-deltas.ts).
 * Only the deltas that are recorded are folded: a boundary loop's (summed by the temporal loop
 * above it) and the loop below each spatial run (compared across children). The cost depends on
 * the number of loops, data spaces and ranks, not on loop ends or problem size.
 */

import { type CompiledProblem, rankExtents } from '../workload/projection.ts';
import type { AccessClass, NestLoop } from './types.ts';
import { type InvocationStep, carryWeights, invocationSteps } from './invocations.ts';
import { type NestProperties, loopStep, nestProperties } from './nest-properties.ts';
import type { SpatialRun } from './spatial-children.ts';
import { type SpatialAccess, spatialAccess } from './spatial-deltas.ts';
import { type ReusePolicy, type WindowDeltas, windowDeltas } from './window-deltas.ts';

export type { ReusePolicy } from './window-deltas.ts';

/** Per valid loop (temporal, or master spatial), innermost first. */
export interface LoopRecord {
  loopIndex: number;
  /** Largest working set seen per data space (0 unless the loop is a boundary or master). */
  size: number[];
  /** Access matrix per data space. */
  access: AccessClass[][];
  linkTransfers: number[];
  /** Spatial instances of this loop (product of spatial loop ends outside it). */
  replication: number;
  /** Children fed per instance (the spatial run's product for a master loop, else 1). */
  fanout: number;
  boundary: boolean;
  master: boolean;
}

export interface DeltaAnalysis {
  records: LoopRecord[];
  /** MAC iterations per simulated arithmetic instance. */
  computesPerInstance: number;
}

export interface DeltaInputs {
  problem: CompiledProblem;
  loops: NestLoop[];
  boundaries: number[];
  /** Physical fanout (X, Y) below each storage level, for neighbour link transfers. */
  physicalFanout: { x: number; y: number }[];
  /** Per storage level and data space: neighbour link transfers disabled (`no_link_transfer`). */
  noLinkTransfer?: boolean[][];
  reuse: ReusePolicy;
  /** Compat behaviour `preciseMulticastHops`: carry each access class's mesh hops. */
  meshHops?: boolean;
}

/** What the per-loop analyses share within one call. */
interface NestContext {
  input: DeltaInputs;
  p: NestProperties;
  /** The temporal loops Timeloop steps (n ≥ 2), innermost first; those above a loop are a suffix. */
  stepped: number[];
  /** Per loop: the stepped loops above it, once computed. */
  above: (number[] | undefined)[];
  /** Per data space and loop: the data-space translation of one iteration step, once computed. */
  steps: (number[] | undefined)[][];
}

function steppedAbove(ctx: NestContext, i: number): number[] {
  let above = ctx.above[i];
  if (!above) {
    let k = 0;
    while (k < ctx.stepped.length && ctx.stepped[k] <= i) k++;
    above = ctx.above[i] = ctx.stepped.slice(k);
  }
  return above;
}

function stepOf(ctx: NestContext, j: number, d: number): number[] {
  return (ctx.steps[d][j] ??= loopStep(ctx.p, j, ctx.input.problem.dataSpaces[d]));
}

function stepsAbove(ctx: NestContext, i: number, d: number): number[][] {
  return steppedAbove(ctx, i).map((j) => stepOf(ctx, j, d));
}

function endsAbove(ctx: NestContext, i: number): number[] {
  return steppedAbove(ctx, i).map((j) => ctx.input.loops[j].end);
}

function deltasAt(ctx: NestContext, i: number, d: number): WindowDeltas {
  return windowDeltas(rankExtents(ctx.input.problem.dataSpaces[d], ctx.p.extent[i]), stepsAbove(ctx, i, d), ctx.input.reuse);
}

/** Σ over the invocations of loop i of weight · |delta|: what the temporal loop above receives. */
function summedDeltas(ctx: NestContext, i: number, d: number, weights: number[]): number {
  const w = deltasAt(ctx, i, d);
  let sum = w.sizes[0];
  for (let m = 0; m < weights.length; m++) sum += weights[m] * w.sizes[m + 1];
  return sum;
}

/** The access matrix of master loop i for data space d. */
function spatialRecord(ctx: NestContext, i: number, d: number, invocations: InvocationStep[]): SpatialAccess {
  const { p, input } = ctx;
  let inner = i;
  while (inner > 0 && p.spatial[inner - 1]) inner--;
  const runLoops: number[] = [];
  for (let l = inner; l <= i; l++) runLoops.push(l);
  const phys = input.physicalFanout[p.storageLevel[i]] ?? { x: 1, y: 1 };
  const run: SpatialRun = {
    ends: runLoops.map((l) => input.loops[l].end),
    steps: runLoops.map((l) => stepOf(ctx, l, d)),
    alongX: runLoops.map((l) => input.loops[l].kind === 'spatial-x'),
    fanout: p.fanout[i],
    gridX: Math.max(phys.x, p.fanoutX[i]),
    gridY: Math.max(phys.y, p.fanoutY[i]),
  };
  // A run reaching the arithmetic units sends one operation-space point per child, never reused.
  const child =
    inner > 0
      ? deltasAt(ctx, inner - 1, d)
      : windowDeltas(
          input.problem.dataSpaces[d].ranks.map(() => 1),
          stepsAbove(ctx, i, d),
          { slidingWindow: false, resident: false },
        );
  return spatialAccess(run, child, invocations, input.meshHops ?? false, !input.noLinkTransfer?.[p.storageLevel[i]]?.[d]);
}

export function analyseDeltas(input: DeltaInputs): DeltaAnalysis {
  const { problem, loops } = input;
  const dataSpaces = problem.dataSpaces;
  const p = nestProperties(loops, input.boundaries, problem.dimensions);
  const stepped: number[] = [];
  loops.forEach((l, j) => {
    if (!p.spatial[j] && l.end >= 2) stepped.push(j);
  });
  const ctx: NestContext = { input, p, stepped, above: new Array(loops.length), steps: dataSpaces.map(() => new Array(loops.length)) };

  // Every temporal loop runs its full n at the arithmetic level; a spatial run there is re-entered
  // once per child of its outer loops (as the simulation does).
  let computes = 1;
  for (let i = 0; i < loops.length; i++) if (!p.spatial[i]) computes *= loops[i].end;
  for (let i = 1; i < loops.length && p.spatial[0] && p.spatial[i]; i++) computes *= loops[i].end;

  const records: LoopRecord[] = [];
  loops.forEach((_, i) => {
    if (p.spatial[i] && !p.master[i]) return;
    const recordsSize = p.boundary[i] || p.master[i];
    const size = dataSpaces.map((ds) => (recordsSize ? rankExtents(ds, p.extent[i]).reduce((a, e) => a * e, 1) : 0));
    let access: AccessClass[][] = dataSpaces.map(() => []);
    let linkTransfers = dataSpaces.map(() => 0);
    if (p.master[i]) {
      const invocations = invocationSteps(endsAbove(ctx, i));
      const spatial = dataSpaces.map((_, d) => spatialRecord(ctx, i, d, invocations));
      access = spatial.map((s) => s.access);
      linkTransfers = spatial.map((s) => s.linkTransfers);
    } else if (i === 0) {
      access = dataSpaces.map(() => [{ multicast: 1, scatter: 1, accesses: computes }]);
    } else if (p.boundary[i - 1]) {
      const weights = carryWeights(endsAbove(ctx, i - 1));
      access = dataSpaces.map((_, d) => [{ multicast: 1, scatter: 1, accesses: summedDeltas(ctx, i - 1, d, weights) }]);
    }
    records.push({
      loopIndex: i,
      size,
      access,
      linkTransfers,
      replication: p.replication[i],
      fanout: p.fanout[i],
      boundary: p.boundary[i],
      master: p.master[i],
    });
  });
  return { records, computesPerInstance: computes };
}
