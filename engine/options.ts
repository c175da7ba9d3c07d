import type { CompatMode } from './result/schema.ts';

/**
 * Modelling behaviours ("fixes") the engine can switch off one at a time to obtain the naive model.
 * The registry in golden/fixes.yaml describes each and the golden fields it governs.
 */
export const FIX_IDS = [
  'output-temporal-reuse',
  'halo-fill-reuse',
  'bandwidth-throttling',
  'sparse-drain-compression',
  'bypass-temporal-reuse',
  'gating-at-storage',
] as const;
export type FixId = (typeof FIX_IDS)[number];

export interface EvaluateOptions {
  /** Compat mode (engine/compat-modes.ts); default DEFAULT_COMPAT_MODE. */
  compat?: CompatMode;
  /** Behaviours to turn off (ablation). Default: none. */
  disabledFixes?: readonly FixId[];
}
