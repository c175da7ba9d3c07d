/**
 * Compute-level gating/skipping (docs/sparse.md §5): the two read-only operands' states
 * (exists non-zero / exists zero / absent) decide which computes are random, gated, skipped.
 */
import { SparsegaugeError } from '../errors.ts';

export interface OperandState {
  /** Expected density of one element, rounded to 10⁻⁶. */
  density: number;
  /** The innermost level holding the operand has a format (zeros are absent, not stored). */
  hasMetadata: boolean;
  /** The operand is storage-gated with the given 10⁻⁶-rounded empty-condition probability. */
  storageGatedEmptyProbability: number | null;
}

export interface ComputeSaf {
  gating: boolean;
  skipping: boolean;
}

export interface ComputeBreakdown {
  random: number;
  gated: number;
  skipped: number;
}

type States = { nz: number; zero: number; absent: number };

const clamp = (x: number) => {
  if (x < -0.00001 || x > 1.00001) {
    throw new SparsegaugeError('value', `operand probability ${x} outside [0, 1] (densities inconsistent with the storage gating condition)`, { field: 'problem.instance.densities' });
  }
  return Math.min(1, Math.max(0, x));
};

function states(density: number, hasMetadata: boolean): States {
  return { nz: density, zero: hasMetadata ? 0 : 1 - density, absent: hasMetadata ? 1 - density : 0 };
}

/** `total` computes (after storage-SAF reduction) split by the operands' joint states. */
export function computeBreakdown(total: number, a: OperandState, b: OperandState, saf: ComputeSaf): ComputeBreakdown {
  let sa = states(a.density, a.hasMetadata);
  let sb = states(b.density, b.hasMetadata);
  // An operand whose partner is storage-gated is only seen when the partner's condition is non-empty.
  if (b.storageGatedEmptyProbability !== null) sa = states(a.density / (1 - b.storageGatedEmptyProbability), a.hasMetadata);
  if (a.storageGatedEmptyProbability !== null) sb = states(b.density / (1 - a.storageGatedEmptyProbability), b.hasMetadata);
  for (const s of [sa, sb]) {
    s.nz = clamp(s.nz);
    s.zero = clamp(s.zero);
    s.absent = clamp(s.absent);
  }
  // Random computes are what the other classes leave: total − ⌊skipped⌋ − ⌊gated⌋ − ⌊nonexistent⌋.
  let gated = 0;
  let skipped = 0;
  const oneZero = total * (sa.nz * sb.zero + sa.zero * sb.nz);
  if (saf.gating) gated += oneZero;
  const oneAbsent = total * (sa.nz * sb.absent + sa.absent * sb.nz);
  if (saf.skipping) skipped += oneAbsent;
  else if (saf.gating) gated += oneAbsent;
  const bothZero = total * (sa.zero * sb.zero);
  if (saf.gating) gated += bothZero;
  const zeroAbsent = total * (sa.zero * sb.absent + sa.absent * sb.zero);
  if (saf.skipping) skipped += zeroAbsent;
  else if (saf.gating) gated += zeroAbsent;
  const nonexistent = total * (sa.absent * sb.absent);
  return {
    random: total - Math.floor(skipped) - Math.floor(gated) - Math.floor(nonexistent),
    gated: Math.floor(gated),
    skipped: Math.floor(skipped),
  };
}

export const round6 = (x: number) => Math.round(x * 1000000) / 1000000;
