/**
 * Test oracle, frozen: the step-by-step nest simulation (2^k working-set evaluations, every spatial
 * child enumerated, BoxSet subtraction) that engine/analysis replaced with a closed form. Kept
 * unchanged so the equivalence property test (suites/nest-equivalence.test.ts) can check that the
 * engine's DenseCounts are deep-equal to what this simulation produces. Do not optimize.
 *
 * Nest analysis: Spec → DenseCounts (per storage level and tensor: tiles, partitions, access
 * matrices, algorithmic reads/fills/updates), independent of densities.
 */

import type { Spec } from '../../../engine/spec/types.ts';
import type { EvaluateOptions } from '../../../engine/options.ts';
import { buildNest } from './nest.ts';
import { compileProblem } from './projection.ts';
import { analyseDeltas } from './deltas.ts';
import { collapseDataSpace } from './collapse.ts';
import type { DenseCounts, DenseLevelCounts, DenseTensorCounts, DimensionBox, NestLoop } from '../../../engine/analysis/types.ts';

function physicalFanouts(spec: Spec): { x: number; y: number }[] {
  const storage = spec.architecture.storage;
  return storage.map((level, s) => {
    const child = s === 0 ? spec.architecture.arithmetic : storage[s - 1];
    return {
      x: Math.max(1, Math.floor(child.meshX / level.meshX)),
      y: Math.max(1, Math.floor(child.meshY / level.meshY)),
    };
  });
}

function product(loops: NestLoop[], pick: (l: NestLoop) => boolean): number {
  return loops.reduce((p, l) => (pick(l) ? p * l.end : p), 1);
}

export function simulateNest(spec: Spec, options: EvaluateOptions = {}): DenseCounts {
  const disabled = new Set(options.disabledFixes ?? []);
  const problem = compileProblem(spec.problem);
  const nest = buildNest(spec);
  const deltas = analyseDeltas({
    problem,
    loops: nest.loops,
    boundaries: nest.boundaries,
    physicalFanout: physicalFanouts(spec),
    reuse: {
      // Ablation 'halo-fill-reuse': a translated tile is refetched whole (no sliding-window reuse).
      slidingWindow: !disabled.has('halo-fill-reuse'),
      // Ablation 'bypass-temporal-reuse': loops that do not move a tile still refetch it.
      resident: !disabled.has('bypass-temporal-reuse'),
    },
  });
  const levelsSpec = spec.architecture.storage;
  const perDataSpace = problem.dataSpaces.map((ds, d) =>
    collapseDataSpace(
      deltas.records,
      d,
      spec.mapping.levels.map((lm) => lm.keep.includes(ds.name)),
      ds.readWrite,
      // Ablation 'output-temporal-reuse': every update also reads the old partial sum.
      { firstReadElision: !disabled.has('output-temporal-reuse') },
    ),
  );

  const dims = spec.problem.dimensions;
  const levels: DenseLevelCounts[] = levelsSpec.map((ls, s) => {
    const own = nest.loops.filter((l) => l.level === s && l.end > 1);
    const completeOwn = nest.completeLoops.filter((l) => l.level === s);
    const upToHere = nest.completeLoops.filter((l) => l.level <= s);
    const tileBox: DimensionBox = {};
    for (const d of dims) tileBox[d] = product(upToHere, (l) => l.dimension === d);
    const above = nest.completeLoops.filter((l) => l.level > s);
    const fanoutX = product(completeOwn, (l) => l.kind === 'spatial-x');
    const fanoutY = product(completeOwn, (l) => l.kind === 'spatial-y');
    const tensors: Record<string, DenseTensorCounts> = {};
    problem.dataSpaces.forEach((ds, d) => {
      const t = perDataSpace[d][s];
      const kept = spec.mapping.levels[s].keep.includes(ds.name);
      tensors[ds.name] = {
        dataSpace: ds.name,
        readWrite: ds.readWrite,
        kept,
        tileSizeUnmasked: t.sizeUnmasked,
        tileSize: t.size,
        tileBox,
        partitionSize: t.partitionSize,
        parentShare: t.parentShare,
        contentAccesses: t.content,
        accessMatrix: t.access,
        accessMatrixUnmasked: t.accessUnmasked,
        reads: t.reads,
        fills: t.fills,
        updates: t.updates,
        temporalReductions: t.temporalReductions,
        linkTransfers: t.linkTransfers,
        peerAccesses: t.peerAccesses,
        peerFills: t.peerFills,
        parentLevel: t.parentLevel,
        childLevel: t.childLevel,
      };
    });
    return {
      name: ls.name,
      index: s,
      loops: own,
      completeLoops: completeOwn,
      tileBox,
      fanout: fanoutX * fanoutY,
      fanoutX,
      fanoutY,
      replication: product(above, (l) => l.kind !== 'temporal'),
      maxXExpansion: product(above, (l) => l.kind === 'spatial-x'),
      maxYExpansion: product(above, (l) => l.kind === 'spatial-y'),
      tensors,
    };
  });

  const all = nest.completeLoops;
  const utilizedInstances = product(all, (l) => l.kind !== 'temporal');
  return {
    levels,
    compute: {
      computesPerInstance: deltas.computesPerInstance,
      algorithmicComputes: deltas.computesPerInstance * utilizedInstances,
      utilizedInstances,
      maxXExpansion: product(all, (l) => l.kind === 'spatial-x'),
      maxYExpansion: product(all, (l) => l.kind === 'spatial-y'),
    },
    nest: nest.loops,
    completeNest: nest.completeLoops,
  };
}
