/** How a format changes the data accesses at the level holding the tensor (sparse-arithmetic.md §3.1). */

/**
 * Actual accesses of X algorithmic ones for a tile of S words expecting E non-zeros.
 * Public: X − ⌊X·(1 − ρ)⌋ with ρ = E/S (not ⌈X·ρ⌉: the two differ in double).
 * micro22 compat (§9, H6b): ⌈E·(X/S)⌉, the rounding of format accesses.
 */
export function compressedAccesses(x: number, expectedOccupancy: number, tileSize: number, micro22: boolean): number {
  // Never more than the algorithmic accesses: E/S can exceed 1 by an ulp (E conditioned on a
  // non-empty tile, or E·X/S at density 1), which would otherwise round up to X + 1.
  if (micro22) return Math.min(x, Math.ceil(expectedOccupancy * (x / tileSize)));
  const sparsity = Math.max(0, 1 - expectedOccupancy / tileSize);
  return x - Math.floor(x * sparsity);
}
