/**
 * Timeloop's built-in energy model (its public "PAT" estimates), charged where the ERT is silent:
 * for the random reads, fills and updates of a storage level whose table lacks them (or that has
 * no table) and for the computes of an arithmetic level likewise. Every other action without an
 * entry costs 0 pJ. The estimates are Timeloop's public linear fits (docs/timeloop-defaults.md §3):
 *   DRAM:  200 pJ per 16 bits of the vector (word bits x block size);
 *   SRAM:  a 16-bit access costs 1 unit at 0.5 KiB and 6 units at 100 KiB, linearly in the
 *          capacity (height x width bits), scaled by the vector width / 16 and divided by the
 *          cluster size; a level of size 0 costs 0;
 *   MAC:   (word bits / 16)^2 pJ.
 * A `vector-access-energy` (storage) or `energy` (arithmetic) attribute replaces the estimate.
 */
import { SparsegaugeError } from '../errors.ts';
import type { ArithmeticSpec, Spec, StorageLevelSpec } from '../input/types.ts';

/** Capacities (KiB) and 16-bit access energies (units) of the two calibration points of the SRAM fit. */
const SRAM_SMALL = { kib: 0.5, energy: 1 };
const SRAM_LARGE = { kib: 100, energy: 6 };
const DRAM_PJ_PER_16_BITS = 200;

function sramEnergy(heightWords: number, widthBits: number): number {
  const slope = (SRAM_LARGE.energy - SRAM_SMALL.energy) / (SRAM_LARGE.kib - SRAM_SMALL.kib);
  const kib = (widthBits * heightWords) / (8 * 1024);
  return ((slope * (kib - SRAM_SMALL.kib) + SRAM_SMALL.energy) * widthBits) / 16;
}

/** The built-in energy of one vector access of a storage level (pJ). */
export function builtinVectorAccessEnergy(spec: Spec, ls: StorageLevelSpec): number {
  if (ls.accessEnergyOverride !== undefined) return ls.accessEnergyOverride;
  if (ls.technology === 'DRAM') return (DRAM_PJ_PER_16_BITS * ls.wordBits * ls.blockSize) / 16;
  if (ls.size === null) {
    throw new SparsegaugeError('unsupported', `${ls.name} has no size, which Timeloop's built-in SRAM energy needs (give depth or entries, or ERT entries for its reads and writes)`, {
      file: spec.origin.files.architecture,
      field: ls.name,
    });
  }
  if (ls.size === 0) return 0;
  const widthBits = ls.wordBits * ls.blockSize * ls.clusterSize;
  return sramEnergy(Math.ceil(ls.size / ls.blockSize), widthBits) / ls.clusterSize;
}

/** The built-in energy of one compute (pJ). */
export function builtinComputeEnergy(a: ArithmeticSpec): number {
  if (a.energyOverride !== undefined) return a.energyOverride;
  return (a.wordBits / 16) * (a.wordBits / 16);
}
