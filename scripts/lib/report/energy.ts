/**
 * Energy per level (pJ), the breakdown the stats summary prints as pJ/Compute: the arithmetic
 * level's energy, and per storage level the sum over its tensors of access, temporal-reduction and
 * address-generation energy. Networks are left out (their energy is 0 in the Eyeriss cases and the
 * summary lists them separately).
 */
import type { Result } from '../../../engine/result/schema.ts';

export interface LevelEnergy {
  level: string;
  /** pJ */
  energy: number;
  /**
   * The field path whose tolerance rule applies: the arithmetic energy itself, or for a storage
   * level `storage.<level>.tensors.*.energyTotal` (a sum of per-tensor energies, compared like them).
   */
  tolerancePath: string;
}

/** Levels innermost first, arithmetic level first, as the stats file orders them. */
export function levelEnergies(result: Result): LevelEnergy[] {
  const levels: LevelEnergy[] = [{ level: result.arithmetic.name, energy: result.arithmetic.stats.energy, tolerancePath: 'arithmetic.stats.energy' }];
  for (const [name, level] of Object.entries(result.storage)) {
    const energy = Object.values(level.tensors).reduce(
      (s, t) => s + t.energyTotal + t.temporalReductionEnergyTotal + t.addressGenerationEnergyTotal,
      0,
    );
    levels.push({ level: name, energy, tolerancePath: `storage.${name}.tensors.*.energyTotal` });
  }
  return levels;
}

/** Level names in result order (arithmetic first): the level list every per-level table uses. */
export function levelNames(result: Result): string[] {
  return [result.arithmetic.name, ...Object.keys(result.storage)];
}
