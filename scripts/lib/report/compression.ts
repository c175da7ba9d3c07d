/**
 * The Table 7 row: DRAM compression ratio per layer, computed as the Sparseloop artifact's script
 * does: dense main-memory accesses (reads + fills + updates over all tensors) divided by the
 * sparse case's accesses, where each tensor kept compressed in main memory counts as its accesses
 * / 0.76 (the artifact's allowance for metadata overhead). Which tensors are compressed is read
 * from the sparse result (a representation format at the outermost level), not from layer names.
 */
import type { Result, TensorStats } from '../../../engine/result/schema.ts';

/** The artifact's metadata-overhead allowance for compressed tensors. */
export const METADATA_OVERHEAD_FACTOR = 0.76;

export interface CompressionTerm {
  tensor: string;
  accesses: number;
  compressed: boolean;
}

export interface CompressionRatio {
  level: string;
  denseAccesses: number;
  /** Per tensor in the sparse case, before the /0.76 allowance. */
  sparseTerms: CompressionTerm[];
  compressedAccesses: number;
  ratio: number;
}

/** Name of the outermost storage level (results list levels innermost first). */
export function outermostLevel(result: Result): string {
  const names = Object.keys(result.storage);
  if (names.length === 0) throw new Error('result has no storage levels');
  return names[names.length - 1];
}

function accesses(t: TensorStats): number {
  return t.reads.actual + t.fills.actual + t.updates.actual;
}

export function compressionRatio(dense: Result, sparse: Result): CompressionRatio {
  const level = outermostLevel(sparse);
  const denseLevel = dense.storage[level];
  if (!denseLevel) throw new Error(`dense result has no level '${level}'`);
  const denseAccesses = Object.values(denseLevel.tensors).reduce((s, t) => s + accesses(t), 0);
  const sparseTerms = Object.entries(sparse.storage[level].tensors).map(([tensor, t]) => ({
    tensor,
    accesses: accesses(t),
    compressed: (t.representationFormat?.length ?? 0) > 0,
  }));
  const compressedAccesses = sparseTerms.reduce(
    (s, term) => s + (term.compressed ? term.accesses / METADATA_OVERHEAD_FACTOR : term.accesses),
    0,
  );
  return { level, denseAccesses, sparseTerms, compressedAccesses, ratio: denseAccesses / compressedAccesses };
}

/**
 * Pairs each sparse case with the dense case of the same layer; layers in manifest order. Cases
 * without a layer and kind (suites that name cases by id) pair with nothing: no compression row.
 */
export function denseSparsePairs<C extends { layer?: string; kind?: string }>(cases: C[]): { layer: string; dense: C; sparse: C }[] {
  const pairs: { layer: string; dense: C; sparse: C }[] = [];
  for (const sparse of cases.filter((c) => c.kind === 'sparse' && c.layer !== undefined)) {
    const dense = cases.find((c) => c.kind === 'dense' && c.layer === sparse.layer);
    if (dense) pairs.push({ layer: sparse.layer as string, dense, sparse });
  }
  return pairs;
}
