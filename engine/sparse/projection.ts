/** Words of a data space spanned by an operation-space box starting at 0 (docs/nest-analysis.md §2). */
import type { DataSpace } from '../input/types.ts';
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

/** Operation-space boxes covered at each loop of a nest (that loop and everything inside it), innermost first. */
export interface NestBoxes {
  /** The box of loop `index`: the dimensions met so far, in the order met, with their extents. */
  box(index: number): DimensionBox;
  /** dataSpaceTileSize(dataSpace, box(index)), without building the box. */
  tileSize(dataSpace: DataSpace, index: number): number;
}

export function cumulativeBoxes(nest: { dimension: string; end: number }[]): NestBoxes {
  return new CumulativeBoxes(nest);
}

class CumulativeBoxes implements NestBoxes {
  /** Column of each dimension, in the order met, and the loop that first met it. */
  private readonly column = new Map<string, number>();
  private readonly firstMet: number[] = [];
  /**
   * Extents change only at loops with end ≠ 1: one row of extents per such loop (flat array);
   * rowOf[i] is the row in force at loop i (−1: all extents 1).
   */
  private readonly extent: number[] = [];
  private readonly rowOf: number[] = [];
  /** Per data space, its projection with dimensions as columns (−1: not in the nest, extent 1). */
  private readonly compiled = new Map<DataSpace, { column: number; coefficient: number }[][]>();

  constructor(nest: { dimension: string; end: number }[]) {
    nest.forEach((loop, i) => {
      if (this.column.has(loop.dimension)) return;
      this.firstMet.push(i);
      this.column.set(loop.dimension, this.column.size);
    });
    const width = this.column.size;
    let rows = 0;
    nest.forEach((loop) => {
      if (loop.end !== 1) {
        for (let c = 0; c < width; c++) this.extent.push(rows === 0 ? 1 : this.extent[(rows - 1) * width + c]);
        this.extent[rows * width + (this.column.get(loop.dimension) as number)] *= loop.end;
        rows++;
      }
      this.rowOf.push(rows - 1);
    });
  }

  private at(index: number, c: number): number {
    const row = this.rowOf[index];
    return row < 0 ? 1 : this.extent[row * this.column.size + c];
  }

  box(index: number): DimensionBox {
    const box: DimensionBox = {};
    for (const [name, c] of this.column) if (this.firstMet[c] <= index) box[name] = this.at(index, c);
    return box;
  }

  tileSize(dataSpace: DataSpace, index: number): number {
    let terms = this.compiled.get(dataSpace);
    if (!terms) {
      terms = dataSpace.projection.map((rank) => rank.map((t) => ({ column: this.column.get(t.dimension) ?? -1, coefficient: t.coefficient })));
      this.compiled.set(dataSpace, terms);
    }
    let size = 1;
    for (const rank of terms) {
      let e = 1;
      for (const t of rank) e += t.coefficient * ((t.column < 0 ? 1 : this.at(index, t.column)) - 1);
      size *= e;
    }
    return size;
  }
}
