/** How a format changes the data accesses at the level holding the tensor (docs/sparse.md §3.1). */

/**
 * Actual accesses of X algorithmic ones for a tile of S words expecting E non-zeros.
 * Public: X − ⌊X·(1 − ρ)⌋ with ρ = E/S (not ⌈X·ρ⌉: the two differ in double).
 * Compat behaviour `ceilCompressedAccesses` (micro22, docs/compat-modes.md §3): ⌈E·(X/S)⌉, the rounding of format accesses.
 */
export function compressedAccesses(x: number, expectedOccupancy: number, tileSize: number, ceil: boolean): number {
  // Ceil (micro22): capped at X (E·X/S can exceed X by an ulp; unverified: no output of that build exists for it).
  if (ceil) return Math.min(x, Math.ceil(expectedOccupancy * (x / tileSize)));
  // Public: not capped. E/S exceeds 1 by an ulp when E is conditioned on a non-empty tile (a
  // 1-word tile at density 0.45 under a formatted parent: E = 0.45/(1 − 0.55) = 1 + 2^-52), and
  // Timeloop then prints X + 1 actual accesses (checked by a reference run of public Timeloop; suites/sparse-gating).
  return x - Math.floor(x * (1 - expectedOccupancy / tileSize));
}
