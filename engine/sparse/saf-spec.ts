/** Looks up what `sparse_optimizations` asks for at each level, with ablation switches applied. */
import type { Spec, SparseTarget } from '../spec/types.ts';
import type { EvaluateOptions } from '../options.ts';
import { SparsegaugeError } from '../errors.ts';
import { COMPRESSING_FORMATS, type TensorFormatSpec } from './layout.ts';

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
  const file = spec.origin.files.sparse_optimizations;
  const dataSpaceNames = new Set(spec.problem.dataSpaces.map((d) => d.name));
  const formats: Record<string, TensorFormatSpec | null>[] = levels.map(() => ({}));
  const storageSafs: StorageSafSpec[][] = levels.map(() => []);
  const spatialSkips: SafOption[][][] = levels.map(() => []);
  const compute = { gating: false, skipping: false };
  let any = false;
  const targets: SparseTarget[] = spec.sparseOptimizations?.targets ?? [];
  targets.forEach((target, ti) => {
    const field = `sparse_optimizations.targets[${ti}]`;
    const level = levels.findIndex((l) => l.name === target.name);
    if (level < 0) {
      if (target.name !== spec.architecture.arithmetic.name) {
        throw new SparsegaugeError('reference', `sparse optimization target '${target.name}' is not a level of the architecture`, { file, field: `${field}.name` });
      }
      if (target.representationFormat.length > 0 || target.actionOptimization.length > 0) {
        throw new SparsegaugeError('unsupported', `formats and storage gating/skipping cannot target the arithmetic level '${target.name}'`, { file, field });
      }
    }
    for (const c of target.computeOptimization) {
      compute[c.type === 'gating' ? 'gating' : 'skipping'] = true;
      any = true;
    }
    if (level < 0) return;
    if (!disabled.has('sparse-drain-compression')) {
      for (const rf of target.representationFormat) {
        if (!dataSpaceNames.has(rf.dataSpace)) {
          throw new SparsegaugeError('reference', `representation format for unknown data space '${rf.dataSpace}'`, { file, field: `${field}.representation-format` });
        }
        const ranks = [...rf.ranks].reverse(); // rank 0 = innermost = last listed
        // A compressed rank above an uncompressed one cannot be addressed.
        for (let r = 1; r < ranks.length; r++) {
          if (COMPRESSING_FORMATS.has(ranks[r].format) && !COMPRESSING_FORMATS.has(ranks[r - 1].format)) {
            throw new SparsegaugeError('unsupported', `${rf.dataSpace} at ${target.name}: compressed rank ${ranks[r].format} above uncompressed ${ranks[r - 1].format}`, {
              file,
              field: `${field}.representation-format.data-spaces.${rf.dataSpace}.ranks`,
            });
          }
        }
        formats[level][rf.dataSpace] = {
          ranks,
          compressed: ranks.some((r) => COMPRESSING_FORMATS.has(r.format)),
          innerToOuter: rf.rankApplicationOrder === 'inner-to-outer',
        };
        any = true;
      }
    }
    if (!disabled.has('gating-at-storage')) {
      for (const ao of target.actionOptimization) {
        for (const o of ao.options) {
          for (const name of [o.target, ...o.conditionOn]) {
            if (!dataSpaceNames.has(name)) {
              throw new SparsegaugeError('reference', `action optimization at ${target.name} names unknown data space '${name}'`, { file, field: `${field}.action-optimization` });
            }
          }
        }
        if (ao.type === 'skipping-spatial') spatialSkips[level].push(ao.options);
        else storageSafs[level].push({ kind: ao.type === 'gating' ? 'gated' : 'skipped', options: ao.options });
        any = true;
      }
    }
  });
  return { formats, storageSafs, spatialSkips, compute, any };
}
