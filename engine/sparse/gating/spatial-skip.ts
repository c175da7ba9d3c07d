/**
 * `skipping-spatial` storage SAFs. In the reference, declaring any of them (1) shrinks spatial
 * fanouts under formatted tensors (checkSpatialExpansion), (2) shrinks the fanout below each SAF's
 * level by the share of non-empty condition tiles, (3) resets every level's average utilized
 * instances to its replication times those shares (dropping the non-empty-tile share a formatted
 * parent gives), and (4) marks the target as having a SAF at the level, with probability
 * 1 − share: outer SAFs stop propagating there and levels below lose that share.
 * We model the SAFs whose fanout does not shrink (share 1, probability 0), so only (3) and the
 * propagation stop of (4) remain; a shrinking one is refused rather than given wrong numbers.
 */
import type { DataSpace } from '../../input/types.ts';
import type { DenseCounts } from '../../analysis/types.ts';
import type { DensityModel } from '../density/model.ts';
import type { SafOption } from '../saf-spec.ts';
import type { TensorState } from '../state.ts';
import type { SafDecision } from './decide.ts';
import { dimensionsOf } from '../projection.ts';
import { SparsegaugeError } from '../../errors.ts';

export interface SpatialSkipContext {
  dense: DenseCounts;
  dataSpaces: DataSpace[];
  densities: Record<string, DensityModel>;
  states: Record<string, TensorState>[];
}

/** Adds a probability-0 'spatial' decision per declared `skipping-spatial` option to `decisions`. */
export function addSpatialSkips(ctx: SpatialSkipContext, groupsByLevel: SafOption[][][], decisions: Record<string, SafDecision>[]): void {
  const { dense } = ctx;
  groupsByLevel.forEach((groups, level) => {
    groups.forEach((options, gi) => {
      const field = `sparse_optimizations.targets.${dense.levels[level].name}.action-optimization[${gi}]`;
      const refuse = (why: string): never => {
        throw new SparsegaugeError('unsupported', `skipping-spatial at ${dense.levels[level].name}: ${why}`, { field });
      };
      // The reference asserts a single option per spatial-skipping group.
      if (options.length !== 1) refuse('a group with several options');
      const { target, conditionOn } = options[0];
      for (const c of conditionOn) {
        const loop = shrinkingLoop(ctx, level, c);
        if (loop) refuse(`the fanout over ${loop} would shrink with the empty tiles of ${c} (spatial skipping that removes instances is not modelled)`);
      }
      const existing = decisions[level][target];
      // The reference only allows a spatial skip beside a temporal SAF of probability 0 (it asserts otherwise).
      if (existing && existing.kind !== 'spatial') refuse(`${target} is also gated or skipped there`);
      decisions[level][target] = { kind: 'spatial', p: 0 };
    });
  });
}

/**
 * The spatial loop of `level` over the condition tensor's dimensions whose instances could be
 * skipped, when the condition tensor is held with a format at or above the level and is not dense;
 * null when the SAF cannot shrink anything (no format: zeros cannot be identified).
 */
function shrinkingLoop(ctx: SpatialSkipContext, level: number, condition: string): string | null {
  const { dense, states } = ctx;
  let holder = level;
  while (holder < dense.levels.length && (dense.levels[holder].tensors[condition]?.tileSize ?? 0) === 0) holder++;
  if (holder === dense.levels.length || !states[holder][condition]?.work.hasMetadata) return null;
  if (ctx.densities[condition].density === 1) return null;
  const dims = dimensionsOf(ctx.dataSpaces.find((d) => d.name === condition)!);
  const loop = dense.levels[level].completeLoops.find((l) => l.kind !== 'temporal' && l.end > 1 && dims.has(l.dimension));
  return loop ? loop.dimension : null;
}
