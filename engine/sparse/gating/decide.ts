/** Which SAF of each group applies, at which level, with which probability (docs/sparse.md §4.1). */
import type { DataSpace, Spec } from '../../input/types.ts';
import type { DenseCounts } from '../../analysis/types.ts';
import type { NestBoxes } from '../projection.ts';
import type { DensityModel } from '../density/model.ts';
import type { SparsePlan } from '../saf-spec.ts';
import type { TensorState } from '../state.ts';
import { expectedTensorOccupancy } from '../format/occupancy.ts';
import { safProbability } from './condition.ts';

export interface SafDecision {
  /** 'spatial': a `skipping-spatial` SAF, which removes instances below its level, not accesses at it. */
  kind: 'gated' | 'skipped' | 'spatial';
  p: number;
}

/** §4.1: per (level, tensor) the chosen SAF and its probability. */
export function storageSafProbabilities(
  spec: Spec,
  dense: DenseCounts,
  plan: SparsePlan,
  densities: Record<string, DensityModel>,
  states: Record<string, TensorState>[],
  float32SafProbability: boolean,
  boxes: NestBoxes,
): Record<string, SafDecision>[] {
  const decisions: Record<string, SafDecision>[] = dense.levels.map(() => ({}));
  const byName = new Map<string, DataSpace>(spec.problem.dataSpaces.map((d) => [d.name, d]));
  const blockSizes = spec.architecture.storage.map((s) => s.blockSize);
  plan.storageSafs.forEach((groups, declaredLevel) => {
    groups.forEach((group, gi) => {
      const field = `sparse_optimizations.targets.${dense.levels[declaredLevel].name}.action-optimization[${gi}]`;
      let best: { level: number; target: string; p: number } | null = null;
      let maxSavings = 0;
      for (const option of group.options) {
        const r = safProbability({
          dense,
          declaredLevel,
          target: byName.get(option.target)!,
          conditionOn: option.conditionOn.map((c) => byName.get(c)!),
          densities,
          blockSizes,
          dimensionOrder: spec.problem.dimensions,
          float32Effectual: float32SafProbability,
          boxes,
          field,
        });
        let savings = 0;
        if (group.options.length > 1) {
          const levelSpec = spec.architecture.storage[r.targetLevel];
          const readEnergy = spec.ert.components[levelSpec.name]?.actions.read ?? 0;
          const s = states[r.targetLevel][option.target];
          const child = s.record.childLevel;
          const metaLevel = child === null ? r.targetLevel : child;
          const metaState = states[metaLevel][option.target];
          const metaUnits = (metaState?.work.formatReads.random.length ?? 0) > 0 ? aggregatedMetadata(densities, metaState) : 0;
          const ratio = Math.floor(levelSpec.metadataWordBits / levelSpec.wordBits);
          savings = (readEnergy / levelSpec.blockSize) * (s.expectedData + metaUnits * ratio) * r.probability;
        }
        // Ties go to the later option.
        maxSavings = savings >= maxSavings ? savings : maxSavings;
        if (savings >= maxSavings) best = { level: r.targetLevel, target: option.target, p: r.probability };
      }
      if (!best) return;
      const existing = decisions[best.level][best.target];
      if (!existing || existing.p < best.p) decisions[best.level][best.target] = { kind: group.kind, p: best.p };
    });
  });
  return decisions;
}

/** Σ over ranks of expected metadata + payload units of a tensor at a level. */
function aggregatedMetadata(densities: Record<string, DensityModel>, s: TensorState): number {
  if (!s.layout) return 0;
  const occ = expectedTensorOccupancy(s.layout, densities[s.record.dataSpace], s.record.tileSize, false);
  return occ.expectedRanks.reduce((sum, u) => sum + u.metadata + u.payload, 0);
}

