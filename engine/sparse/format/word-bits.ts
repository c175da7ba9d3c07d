/** Metadata/payload word bits of a rank (sparse-arithmetic.md §2.1). */
import { SparsegaugeError } from '../../errors.ts';

/**
 * An explicit width that does not divide the metadata storage width is bumped to the next value
 * that does (the reference warns); wider than the storage is an error. Absent: the level's
 * metadata word bits.
 */
export function resolveWordBits(given: number | null, levelMetadataBits: number, storageWidth: number, field: string): number {
  if (given === null) return levelMetadataBits;
  if (storageWidth === 0) return given;
  if (given > storageWidth) {
    throw new SparsegaugeError('value', `word bits ${given} exceed the metadata storage width ${storageWidth}`, { field });
  }
  let bits = given;
  while (storageWidth % bits !== 0) bits++;
  return bits;
}
