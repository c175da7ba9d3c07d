/** Words of a data space spanned by an operation-space box starting at 0 (nest-analysis.md §2). */
import type { DataSpace } from '../spec/types.ts';
import type { DimensionBox } from '../analysis/types.ts';

export function dataSpaceTileSize(dataSpace: DataSpace, box: DimensionBox): number {
  let size = 1;
  for (const rank of dataSpace.projection) {
    let extent = 1;
    for (const term of rank) extent += term.coefficient * ((box[term.dimension] ?? 1) - 1);
    size *= extent;
  }
  return size;
}

/** Dimensions that index the data space (appear in its projection with a non-zero coefficient). */
export function dimensionsOf(dataSpace: DataSpace): Set<string> {
  const dims = new Set<string>();
  for (const rank of dataSpace.projection) for (const term of rank) if (term.coefficient !== 0) dims.add(term.dimension);
  return dims;
}

/** Operation-space box covered at each loop of a nest (that loop and everything inside it), innermost first. */
export function cumulativeBoxes(nest: { dimension: string; end: number }[]): DimensionBox[] {
  const box: DimensionBox = {};
  return nest.map((loop) => {
    box[loop.dimension] = (box[loop.dimension] ?? 1) * loop.end;
    return { ...box };
  });
}
