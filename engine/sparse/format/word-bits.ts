/** Metadata/payload word bits of a rank (docs/sparse.md §2.1). */
import type { RankFormat, StorageLevelSpec } from '../../input/types.ts';
import { SparsegaugeError } from '../../errors.ts';

/**
 * The reference's rule for one width. `given` is the rank's own value (from the spec, or the
 * format's built-in default), null to take the level's `metadata_datawidth`. A given width that
 * does not divide the metadata storage width is bumped to the next one that does, trying values
 * below twice it (twice it when none does; the reference warns); whatever the source, a width
 * wider than the metadata storage is an error (so any non-zero width needs metadata storage).
 */
export function resolveWordBits(given: number | null, levelMetadataBits: number, storageWidth: number, field: string, file?: string): number {
  let bits = given ?? levelMetadataBits;
  if (given !== null && given !== 0 && storageWidth % given !== 0) {
    for (bits = given; bits < 2 * given; bits++) if (storageWidth % bits === 0) break;
  }
  if (bits > storageWidth) {
    throw new SparsegaugeError('value', `format word bits ${bits} exceed the level's metadata storage width ${storageWidth}`, { field, file });
  }
  return bits;
}

/**
 * Word bits of one rank. A bitmask stores one bit per coordinate unless told otherwise; an
 * uncompressed bitmask (UB) reads neither key in the reference, so it always takes the level's width.
 */
export function rankWordBits(rank: RankFormat, level: StorageLevelSpec, where: { field: string; file?: string }): { metadata: number; payload: number } {
  const ownMetadata = rank.format === 'UB' ? null : (rank.metadataWordBits ?? (rank.format === 'B' ? 1 : null));
  const ownPayload = rank.format === 'UB' ? null : rank.payloadWordBits;
  return {
    metadata: resolveWordBits(ownMetadata, level.metadataWordBits, level.metadataStorageWidth, where.field, where.file),
    payload: resolveWordBits(ownPayload, level.metadataWordBits, level.metadataStorageWidth, where.field, where.file),
  };
}
