/** Looks up what `sparse_optimizations` asks for at each level, with ablation switches applied. */
import type { Spec, SparseTarget } from '../input/types.ts';
import type { EvaluateOptions } from '../options.ts';
import { COMPRESSING_FORMATS } from '../input/sparse-optimizations.ts';
import type { TensorFormatSpec } from './layout.ts';

export interface StorageSafSpec {
  kind: 'gated' | 'skipped';
  /** Options of one group: the best one is chosen. */
  options: SafOption[];
}

export interface SafOption {
  target: string;
  conditionOn: string[];
}

export interface SparsePlan {
  /** [level][dataSpace] → format (rank 0 first) or null. */
  formats: Record<string, TensorFormatSpec | null>[];
  /** Per level, groups of storage SAF options declared there (gating, skipping). */
  storageSafs: StorageSafSpec[][];
  /** Per level, groups of `skipping-spatial` options declared there. */
  spatialSkips: SafOption[][][];
  compute: { gating: boolean; skipping: boolean };
  /** True when any optimization is declared (else the sparse pass is the identity). */
  any: boolean;
}

export function sparsePlan(spec: Spec, options: EvaluateOptions): SparsePlan {
  const disabled = new Set(options.disabledFixes ?? []);
  const levels = spec.architecture.storage;
  const formats: Record<string, TensorFormatSpec | null>[] = levels.map(() => ({}));
  const storageSafs: StorageSafSpec[][] = levels.map(() => []);
  const spatialSkips: SafOption[][][] = levels.map(() => []);
  const compute = { gating: false, skipping: false };
  let any = false;
  const targets: SparseTarget[] = spec.sparseOptimizations?.targets ?? [];
  // Names, levels and rank orders were checked when the spec was loaded (engine/input/sparse-optimizations.ts).
  for (const target of targets) {
    for (const c of target.computeOptimization) {
      compute[c.type === 'gating' ? 'gating' : 'skipping'] = true;
      any = true;
    }
    const level = levels.findIndex((l) => l.name === target.name);
    if (level < 0) continue; // the arithmetic level: compute optimizations only
    // Ablation 'sparse-drain-compression': no representation format anywhere.
    if (!disabled.has('sparse-drain-compression')) {
      for (const rf of target.representationFormat) {
        const ranks = [...rf.ranks].reverse(); // rank 0 = innermost = last listed
        formats[level][rf.dataSpace] = {
          ranks,
          compressed: ranks.some((r) => COMPRESSING_FORMATS.has(r.format)),
          innerToOuter: rf.rankApplicationOrder === 'inner-to-outer',
        };
        any = true;
      }
    }
    // Ablation 'gating-at-storage': no storage gating or skipping (spatial skipping included).
    if (!disabled.has('gating-at-storage')) {
      for (const ao of target.actionOptimization) {
        if (ao.type === 'skipping-spatial') spatialSkips[level].push(ao.options);
        else storageSafs[level].push({ kind: ao.type === 'gating' ? 'gated' : 'skipped', options: ao.options });
        any = true;
      }
    }
  }
  return { formats, storageSafs, spatialSkips, compute, any };
}
