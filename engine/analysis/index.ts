/**
 * Nest analysis: Spec → DenseCounts (per storage level and tensor: tiles, partitions, access
 * matrices, algorithmic reads/fills/updates), independent of densities.
 */

import type { Spec } from '../input/types.ts';
import type { EvaluateOptions } from '../options.ts';
import { buildNest } from '../mapping/nest.ts';
import { compileProblem } from '../workload/projection.ts';
import { analyseDeltas, type DeltaAnalysis, type DeltaInputs } from './deltas.ts';
import { collapseDataSpace } from './collapse.ts';
import { compatBehaviours } from '../compat-modes.ts';
import type { DenseCounts, DenseLevelCounts, DenseTensorCounts, DimensionBox, NestLoop } from './types.ts';

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

/** What computes the per-loop deltas: the closed form, or (in tests) the step-by-step simulation it replaced. */
export type DeltaAnalyser = (input: DeltaInputs) => DeltaAnalysis;

export function analyseNest(spec: Spec, options: EvaluateOptions = {}, deltaAnalyser: DeltaAnalyser = analyseDeltas): DenseCounts {
  const disabled = new Set(options.disabledFixes ?? []);
  const behaviours = compatBehaviours(options.compat);
  const problem = compileProblem(spec.problem);
  const nest = buildNest(spec);
  const deltas = deltaAnalyser({
    problem,
    loops: nest.loops,
    boundaries: nest.boundaries,
    physicalFanout: physicalFanouts(spec),
    noLinkTransfer: spec.mapping.levels.map((lm) => spec.problem.dataSpaces.map((ds) => lm.noLinkTransfer?.includes(ds.name) ?? false)),
    meshHops: behaviours.preciseMulticastHops,
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
      { firstReadElision: !disabled.has('output-temporal-reuse'), firstFillElision: behaviours.firstFillElision },
    ),
  );

  // One pass over the complete nest (innermost first): per level its loops, the tile box of its
  // boundary (cumulative products per dimension) and its own X / Y fanout.
  const dims = spec.problem.dimensions;
  const levelCount = levelsSpec.length;
  const completeOf: NestLoop[][] = levelsSpec.map(() => []);
  for (const l of nest.completeLoops) completeOf[l.level].push(l);
  const analysedOf: NestLoop[][] = levelsSpec.map(() => []);
  for (const l of nest.loops) if (l.end > 1) analysedOf[l.level].push(l);
  const extent = dims.map(() => 1);
  const tileBoxes: DimensionBox[] = [];
  const ownX: number[] = [];
  const ownY: number[] = [];
  for (let s = 0; s < levelCount; s++) {
    let x = 1;
    let y = 1;
    for (const l of completeOf[s]) {
      extent[dims.indexOf(l.dimension)] *= l.end;
      if (l.kind === 'spatial-x') x *= l.end;
      else if (l.kind === 'spatial-y') y *= l.end;
    }
    const box: DimensionBox = {};
    dims.forEach((d, i) => (box[d] = extent[i]));
    tileBoxes.push(box);
    ownX.push(x);
    ownY.push(y);
  }
  const keeps = spec.mapping.levels.map((lm) => lm.keep);
  // X / Y expansion above each level: products of the own fanouts of the levels outside it.
  let aboveX = 1;
  let aboveY = 1;
  const levels: DenseLevelCounts[] = new Array(levelCount);
  for (let s = levelCount - 1; s >= 0; s--) {
    const ls = levelsSpec[s];
    const tileBox = tileBoxes[s];
    const tensors: Record<string, DenseTensorCounts> = {};
    problem.dataSpaces.forEach((ds, d) => {
      const t = perDataSpace[d][s];
      tensors[ds.name] = {
        dataSpace: ds.name,
        readWrite: ds.readWrite,
        kept: keeps[s].includes(ds.name),
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
    levels[s] = {
      name: ls.name,
      index: s,
      loops: analysedOf[s],
      completeLoops: completeOf[s],
      tileBox,
      fanout: ownX[s] * ownY[s],
      fanoutX: ownX[s],
      fanoutY: ownY[s],
      replication: aboveX * aboveY,
      maxXExpansion: aboveX,
      maxYExpansion: aboveY,
      tensors,
    };
    aboveX *= ownX[s];
    aboveY *= ownY[s];
  }

  const utilizedInstances = aboveX * aboveY;
  return {
    levels,
    compute: {
      computesPerInstance: deltas.computesPerInstance,
      algorithmicComputes: deltas.computesPerInstance * utilizedInstances,
      utilizedInstances,
      maxXExpansion: aboveX,
      maxYExpansion: aboveY,
    },
    nest: nest.loops,
    completeNest: nest.completeLoops,
  };
}
