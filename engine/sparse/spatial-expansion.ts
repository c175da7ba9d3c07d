/**
 * Spatial fanout under a formatted tensor: when the nearest level holding a tensor has a format,
 * the reference shrinks the fanout of spatial loops over that tensor's dimensions by the share of
 * non-empty sub-tiles (fewer instances are utilized). Not modelled yet: detect the cases where it
 * would change a count and refuse them rather than give a wrong number.
 */
import type { DataSpace } from '../spec/types.ts';
import type { DenseCounts, DimensionBox } from '../analysis/types.ts';
import type { DensityModel } from './density/model.ts';
import { SparsegaugeError } from '../errors.ts';
import { dataSpaceTileSize, dimensionsOf } from './projection.ts';

export function checkSpatialExpansion(
  dense: DenseCounts,
  dataSpace: DataSpace,
  density: DensityModel,
  hasMetadataAt: (level: number) => boolean,
  boxes: DimensionBox[],
): void {
  if (!dense.levels.some((_, l) => hasMetadataAt(l))) return;
  const dims = dimensionsOf(dataSpace);
  const cumulative: DimensionBox[][] = dense.levels.map(() => []);
  dense.completeNest.forEach((loop, i) => cumulative[loop.level].push(boxes[i]));
  const tile = (b: DimensionBox) => dataSpaceTileSize(dataSpace, b);
  dense.levels.forEach((level, u) => {
    let holder = u;
    while (holder < dense.levels.length - 1 && (dense.levels[holder].tensors[dataSpace.name]?.tileSize ?? 0) === 0) holder++;
    if (!hasMetadataAt(holder)) return;
    let innermost = true;
    level.completeLoops.forEach((loop, i) => {
      if (loop.kind === 'temporal' || loop.end <= 1 || !dims.has(loop.dimension)) return;
      const element: DimensionBox =
        i > 0 ? cumulative[u][i - 1] : u > 0 ? cumulative[u - 1][cumulative[u - 1].length - 1] ?? {} : {};
      const elementSize = tile(element);
      const fiber = { ...element, [loop.dimension]: (element[loop.dimension] ?? 1) * loop.end };
      const elements = tile(fiber) / elementSize;
      const shrink =
        Math.min(density.maxOccupancy(tile(fiber), 1), elements) / loop.end !== 1 ||
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
