/**
 * Storage gating/skipping: which level a SAF acts on and the probability that one access of the
 * target is ineffectual (docs/sparse.md §4.1). Levels are indexed innermost first.
 */
import type { DataSpace } from '../../input/types.ts';
import type { DenseCounts, DimensionBox, NestLoop } from '../../analysis/types.ts';
import type { DensityModel } from '../density/model.ts';
import { SparsegaugeError } from '../../errors.ts';
import { type NestBoxes, dataSpaceTileSize, dimensionsOf } from '../projection.ts';

export interface SafProbabilityInput {
  dense: DenseCounts;
  /** Level the SAF is declared at. */
  declaredLevel: number;
  target: DataSpace;
  conditionOn: DataSpace[];
  /** Workload density model per data space. */
  densities: Record<string, DensityModel>;
  /** Block size per storage level. */
  blockSizes: number[];
  /** Problem dimension order (co-iterated dimensions are rescaled in this order). */
  dimensionOrder: string[];
  /** cumulativeBoxes(dense.completeNest). */
  boxes: NestBoxes;
  /** Compat behaviour `float32SafProbability` (micro22): accumulate P_eff in float32 (docs/compat-modes.md §3). */
  float32Effectual: boolean;
  field: string;
}

export interface SafProbability {
  /** Level whose T accesses are gated/skipped. */
  targetLevel: number;
  /** p = 1 − Π(1 − P_i). */
  probability: number;
}

/** The level a SAF on T acts on: the declared level if it keeps T, else the next outer keeper. */
export function resolveTargetLevel(dense: DenseCounts, declaredLevel: number, target: string, field: string): number {
  for (let l = declaredLevel; l < dense.levels.length; l++) {
    const t = dense.levels[l].tensors[target];
    if (t && t.tileSize > 0) return l;
  }
  throw new SparsegaugeError('mapping', `gating/skipping of ${target} at ${dense.levels[declaredLevel].name}: no level at or above it keeps ${target}`, { field });
}

const isSpatial = (loop: NestLoop) => loop.kind !== 'temporal';
const trivial = (loop: NestLoop) => loop.end <= 1;

interface TargetLoop {
  level: number;
  index: number;
  loop: NestLoop;
  /** Box covered up to and including the target loop (all ones for a single element). */
  box: DimensionBox;
}

function unitBox(dimensions: string[]): DimensionBox {
  const box: DimensionBox = {};
  for (const d of dimensions) box[d] = 1;
  return box;
}

/** The box of a loop of the complete nest, with every problem dimension present. */
function boxAt(dense: DenseCounts, boxes: NestBoxes, dimensionOrder: string[], loop: NestLoop): DimensionBox {
  return { ...unitBox(dimensionOrder), ...boxes.box(dense.completeNest.indexOf(loop)) };
}

/** The first loop above T's child (or above compute) that iterates over T (docs/sparse.md §4.1 step 1). */
function findTargetLoop(dense: DenseCounts, boxes: NestBoxes, targetLevel: number, targetDims: Set<string>, dimensionOrder: string[], childLevel: number | null, field: string): TargetLoop {
  for (let l = childLevel === null ? 0 : childLevel + 1; l <= targetLevel; l++) {
    const loops = dense.levels[l].completeLoops;
    for (let i = 0; i < loops.length; i++) {
      const loop = loops[i];
      if (childLevel !== null) {
        if (!trivial(loop) && targetDims.has(loop.dimension)) return { level: l, index: i, loop, box: boxAt(dense, boxes, dimensionOrder, loop) };
        continue;
      }
      const next = loops[i + 1];
      if (next === undefined) {
        throw new SparsegaugeError('unsupported', `gating/skipping target loop search ran past the loops of ${dense.levels[l].name}`, { field });
      }
      if (!isSpatial(next)) {
        // Two temporal loops at the innermost position: one access reads a single element.
        return { level: l, index: i, loop, box: isSpatial(loop) ? boxAt(dense, boxes, dimensionOrder, loop) : unitBox(dimensionOrder) };
      }
      if (targetDims.has(loop.dimension) && !trivial(loop)) return { level: l, index: i, loop, box: boxAt(dense, boxes, dimensionOrder, loop) };
    }
  }
  const loops = dense.levels[targetLevel].completeLoops;
  const last = loops[loops.length - 1];
  return { level: targetLevel, index: loops.length - 1, loop: last, box: boxAt(dense, boxes, dimensionOrder, last) };
}

export function safProbability(input: SafProbabilityInput): SafProbability {
  const { dense, target, dimensionOrder } = input;
  const targetLevel = resolveTargetLevel(dense, input.declaredLevel, target.name, input.field);
  const targetDims = dimensionsOf(target);
  const childLevel = dense.levels[targetLevel].tensors[target.name].childLevel;
  const found = findTargetLoop(dense, input.boxes, targetLevel, targetDims, dimensionOrder, childLevel, input.field);
  const singleElement = childLevel === null && found.loop.kind === 'temporal' && dense.levels[found.level].completeLoops[found.index + 1]?.kind === 'temporal';
  const targetIsSpatial = isSpatial(found.loop);

  // Widen the condition box by the spatial loops (and, above a spatial target loop, the loops
  // over other dimensions until T's next temporal loop) up to the target level (§4.1 step 2).
  const conditionBox: DimensionBox = { ...found.box };
  const relevant: NestLoop[] = [found.loop];
  let passedTemporalAbove = !targetIsSpatial;
  for (let l = found.level; l <= targetLevel; l++) {
    const loops = dense.levels[l].completeLoops;
    for (let i = l === found.level ? found.index + 1 : 0; i < loops.length; i++) {
      const loop = loops[i];
      if (trivial(loop)) continue;
      const otherDimAboveSpatialTarget = !passedTemporalAbove && !isSpatial(loop) && childLevel !== null && !targetDims.has(loop.dimension);
      if (isSpatial(loop) || otherDimAboveSpatialTarget) {
        conditionBox[loop.dimension] = (conditionBox[loop.dimension] ?? 1) * loop.end;
        relevant.push(loop);
      }
      if (targetIsSpatial && !isSpatial(loop) && (childLevel === null || targetDims.has(loop.dimension))) passedTemporalAbove = true;
    }
  }

  let effectual = 1;
  for (const condition of input.conditionOn) {
    const conditionDims = dimensionsOf(condition);
    const coIterated = new Set([...targetDims].filter((d) => conditionDims.has(d)));
    const factors = new Map<string, number>();
    let aggregated = 1;
    let ineffective = false;
    let sawCoIterated = false;
    if (!singleElement) {
      for (const loop of relevant) {
        if (targetIsSpatial && sawCoIterated && conditionDims.has(loop.dimension)) {
          ineffective = true;
          break;
        }
        if (coIterated.has(loop.dimension)) {
          factors.set(loop.dimension, (factors.get(loop.dimension) ?? 1) * loop.end);
          aggregated *= loop.end;
          sawCoIterated = true;
        }
      }
    }
    if (ineffective) continue;
    const targetBox: DimensionBox = { ...found.box };
    const condBox: DimensionBox = { ...conditionBox };
    // Rescale co-iterated dimensions so one target granule covers at least one block of the target level.
    let scaling = Math.ceil(input.blockSizes[targetLevel] / (dataSpaceTileSize(target, found.box) / aggregated));
    for (const dim of dimensionOrder) {
      const factor = factors.get(dim);
      if (factor === undefined) continue;
      const effective = factor / scaling;
      targetBox[dim] = Math.ceil(targetBox[dim] / effective);
      condBox[dim] = Math.ceil(condBox[dim] / effective);
      scaling = scaling / factor;
    }
    if (scaling > 1) {
      // Integer coordinates in the reference: the product truncates.
      condBox[found.loop.dimension] = Math.trunc(condBox[found.loop.dimension] * scaling);
      targetBox[found.loop.dimension] = Math.trunc(targetBox[found.loop.dimension] * scaling);
    }
    const conditionTile = dataSpaceTileSize(condition, condBox);
    const pEmpty = input.densities[condition.name].probability({ size: conditionTile }, 0);
    effectual = input.float32Effectual ? Math.fround(effectual * (1 - pEmpty)) : effectual * (1 - pEmpty);
  }
  return { targetLevel, probability: 1 - effectual };
}
