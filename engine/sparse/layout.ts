/**
 * Format layout of one tensor at one level: which loops each rank covers (with pre-tiling and the
 * folding of inner factors, docs/sparse.md §2.1), hence fiber shapes and the tile one element
 * of each rank spans. Levels are indexed innermost first.
 */
import type { DataSpace, RankFormat } from '../input/types.ts';
import type { DenseCounts, NestLoop } from '../analysis/types.ts';
import { SparsegaugeError } from '../errors.ts';
import { type NestBoxes, dataSpaceTileSize, dimensionsOf } from './projection.ts';
import { assignLoopsToRanks, fiberShape, type RankLoop } from './format/ranks.ts';
import { assignLoopsInnerToOuter } from './format/ranks-inner-to-outer.ts';
import type { FormatLayout } from './format/occupancy.ts';

export interface TensorFormatSpec {
  /** Rank id order (rank 0 = innermost = last listed). */
  ranks: RankFormat[];
  compressed: boolean;
  /** `rank-application-order: inner-to-outer` (ranks are filled from the innermost loop up). */
  innerToOuter?: boolean;
}

/** Internal: a level's rank structure, also for unformatted levels (one rank) used by pre-tiling. */
interface RankStructure {
  rankLoops: RankLoop[][];
  /** Length ranks + 1 (see FormatLayout.subtileSizes). */
  subtileSizes: number[];
}

export interface LayoutContext {
  dense: DenseCounts;
  dataSpace: DataSpace;
  /** Per level: the tensor's format there, or null. */
  formats: (TensorFormatSpec | null)[];
  /** cumulativeBoxes(dense.completeNest), computed once per analysis. */
  boxes: NestBoxes;
  /** levelLoops(dense), computed once per analysis. */
  levelLoops: LevelLoops;
}

/** Per level: its loops of the complete nest and their indices there; and only those with end > 1. */
export interface LevelLoops {
  all: { loop: NestLoop; index: number }[][];
  nonUnit: { loop: NestLoop; index: number }[][];
}

/** The complete nest split by level (the same for every tensor, so built once per analysis). */
export function levelLoops(dense: DenseCounts): LevelLoops {
  const all: { loop: NestLoop; index: number }[][] = dense.levels.map(() => []);
  const nonUnit: { loop: NestLoop; index: number }[][] = dense.levels.map(() => []);
  dense.completeNest.forEach((loop, index) => {
    all[loop.level].push({ loop, index });
    if (loop.end > 1) nonUnit[loop.level].push({ loop, index });
  });
  return { all, nonUnit };
}

/** What the rank structures of one tensor share. */
interface StructureContext extends LayoutContext {
  name: string;
  dims: Set<string>;
  memo: Map<number, RankStructure>;
}

function structureAt(sc: StructureContext, level: number): RankStructure {
  const hit = sc.memo.get(level);
  if (hit) return hit;
  const { dense, dataSpace, formats, boxes, name, dims } = sc;
  const { all: loopsByLevel, nonUnit: nonUnitByLevel } = sc.levelLoops;
  const record = dense.levels[level].tensors[name];
  const format = formats[level];
  const hasMetadata = format !== null;
  const rankCount = hasMetadata ? format.ranks.length : 1;
  const child = record.childLevel;
  const innermostLevel = child === null ? 0 : child + 1;
  const preTiling = !!format?.compressed && child !== null && dense.levels[child].tensors[name].tileSize > 1;

  let childStructure: RankStructure | null = null;
  if (preTiling) {
    childStructure = structureAt(sc, child);
    const childFormat = formats[child];
    const childRanks = childStructure.rankLoops.length;
    const misaligned =
      childRanks > rankCount ||
      (childFormat?.compressed && childFormat.ranks.some((r, i) => r.format !== format.ranks[i].format));
    if (misaligned) {
      throw new SparsegaugeError(
        'unsupported',
        `pre-tiling of ${name} at ${dense.levels[level].name} needs its inner ranks to match ${dense.levels[child].name}'s format`,
        { field: `sparse_optimizations.targets.${dense.levels[level].name}.representation-format.data-spaces.${name}` },
      );
    }
  }

  // Loops of this level and of the bypassing levels below it that index the tensor. Without
  // pre-tiling, the factors of the levels at and below the child fold into the first loop of
  // each dimension. Unit loops cannot head or stop a rank, so only the innermost one is kept
  // (its tile is the one an empty rank spans).
  // (Unit loops fold a factor of 1, which changes nothing: only non-unit loops are folded.)
  const inner = new Map<string, number>();
  if (!preTiling) {
    for (let l = 0; l < innermostLevel; l++) for (const { loop } of nonUnitByLevel[l]) inner.set(loop.dimension, (inner.get(loop.dimension) ?? 1) * loop.end);
  }
  const loops: RankLoop[] = [];
  let first = true;
  for (let l = innermostLevel; l <= level; l++) {
    // Once the first loop is taken and every factor folded, only the non-unit loops matter.
    const candidates = first || inner.size > 0 ? loopsByLevel[l] : nonUnitByLevel[l];
    for (const { loop, index } of candidates) {
      if (!dims.has(loop.dimension)) continue;
      let end = loop.end;
      const folded = inner.get(loop.dimension);
      if (folded !== undefined) {
        end *= folded;
        inner.delete(loop.dimension);
      }
      if (first || end > 1) loops.push({ dimension: loop.dimension, end, tileSize: boxes.tileSize(dataSpace, index) });
      first = false;
    }
  }
  const innerRankId = childStructure ? childStructure.rankLoops.length : 0;
  const assign = format?.innerToOuter ? assignLoopsInnerToOuter : assignLoopsToRanks;
  const assigned = assign({
    loops,
    rankCount,
    innerRankId,
    flattening: hasMetadata ? format.ranks.map((r) => r.flattenedRankIds) : [null],
    hasMetadata,
    where: { level: dense.levels[level].name, dataSpace: name },
  });
  const rankLoops = assigned.rankLoops;
  const subtileSizes = [1, ...assigned.rankTileSize];
  if (childStructure) {
    for (let r = 0; r < innerRankId; r++) {
      rankLoops[r] = childStructure.rankLoops[r];
      subtileSizes[r + 1] = childStructure.subtileSizes[r + 1];
    }
    subtileSizes[0] = childStructure.subtileSizes[0];
  }
  const structure = { rankLoops, subtileSizes };
  sc.memo.set(level, structure);
  return structure;
}

/** Builds format layouts for every level where the tensor has a format (null elsewhere). */
export function buildFormatLayouts(ctx: LayoutContext): (FormatLayout | null)[] {
  const { dense, dataSpace, formats } = ctx;
  if (formats.every((f) => f === null)) return formats.map(() => null);
  const name = dataSpace.name;
  const sc: StructureContext = {
    dense,
    dataSpace,
    formats,
    boxes: ctx.boxes,
    levelLoops: ctx.levelLoops,
    name,
    dims: dimensionsOf(dataSpace),
    memo: new Map(),
  };

  return dense.levels.map((level, l) => {
    const format = formats[l];
    const record = level.tensors[name];
    if (!format || !record || !record.kept || record.tileSize === 0) return null;
    const s = structureAt(sc, l);
    return {
      formats: format.ranks.map((r) => r.format),
      fiberShapes: s.rankLoops.map((rl) => fiberShape(rl, (box) => dataSpaceTileSize(dataSpace, box))),
      subtileSizes: s.subtileSizes,
      innerToOuter: !!format.innerToOuter,
    };
  });
}
