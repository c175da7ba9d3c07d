/**
 * Spatial fanout under a formatted tensor: when the nearest level holding a tensor has a format,
 * the reference shrinks the fanout of spatial loops over that tensor's dimensions by the share of
 * non-empty sub-tiles (fewer instances are utilized) — but only when some `skipping-spatial` SAF
 * is declared (its spatial-instance pass runs only then; without one the fanout stays dense).
 * Not modelled yet: detect the cases where it would change a count and refuse them rather than
 * give a wrong number.
 */
import type { DataSpace } from '../input/types.ts';
import type { DenseCounts, DimensionBox } from '../analysis/types.ts';
import type { DensityModel } from './density/model.ts';
import { SparsegaugeError } from '../errors.ts';
import { type NestBoxes, dataSpaceTileSize, dimensionsOf } from './projection.ts';

export function checkSpatialExpansion(
  dense: DenseCounts,
  dataSpace: DataSpace,
  density: DensityModel,
  hasMetadataAt: (level: number) => boolean,
  boxes: NestBoxes,
): void {
  if (!dense.levels.some((_, l) => hasMetadataAt(l))) return;
  const dims = dimensionsOf(dataSpace);
  // Per level, the complete-nest index of each of its loops.
  const cumulative: number[][] = dense.levels.map(() => []);
  dense.completeNest.forEach((loop, i) => cumulative[loop.level].push(i));
  dense.levels.forEach((level, u) => {
    let holder = u;
    while (holder < dense.levels.length - 1 && (dense.levels[holder].tensors[dataSpace.name]?.tileSize ?? 0) === 0) holder++;
    if (!hasMetadataAt(holder)) return;
    let innermost = true;
    level.completeLoops.forEach((loop, i) => {
      if (loop.kind === 'temporal' || loop.end <= 1 || !dims.has(loop.dimension)) return;
      const below = i > 0 ? cumulative[u][i - 1] : u > 0 ? cumulative[u - 1][cumulative[u - 1].length - 1] : undefined;
      const element: DimensionBox = below === undefined ? {} : boxes.box(below);
      const elementSize = dataSpaceTileSize(dataSpace, element);
      const fiber = { ...element, [loop.dimension]: (element[loop.dimension] ?? 1) * loop.end };
      const elements = dataSpaceTileSize(dataSpace, fiber) / elementSize;
      const shrink =
        Math.min(density.maxOccupancy(dataSpaceTileSize(dataSpace, fiber), 1), elements) / loop.end !== 1 ||
        (innermost && density.probability({ size: elementSize }, 0) !== 0);
      innermost = false;
      if (shrink) {
        throw new SparsegaugeError(
          'unsupported',
          `spatial fanout of ${level.name} over ${loop.dimension} shrinks under the format of ${dataSpace.name} at ${dense.levels[holder].name} (sparse spatial expansion is not modelled)`,
          { field: `sparse_optimizations.targets.${dense.levels[holder].name}.representation-format.data-spaces.${dataSpace.name}` },
        );
      }
    });
  });
}
