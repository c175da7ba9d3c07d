/** Totals: energy, cycles, area, utilization, operational intensity, per-compute energies. */

import type { Spec } from '../input/types.ts';
import type { OperationalIntensity, Summary } from '../result/schema.ts';
import type { ArithmeticModel } from './arithmetic.ts';
import type { StorageModel } from './storage.ts';

const f32 = Math.fround;
/** A (possibly negative) uint64 difference as the reference holds it: modulo 2^64, nearest double. */
const u64 = (v: number) => (v < 0 ? v + 2 ** 64 : v);

export interface SummaryInputs {
  spec: Spec;
  arithmetic: ArithmeticModel;
  storage: StorageModel[];
  /** Network energies keyed by network name, in printed order. */
  networkEnergy: Record<string, number>;
  firstReadElision: boolean;
  sparseLayout: boolean;
  /** Compat behaviour `operationalIntensityFromAlgorithmicAccesses` (Timeloop v3's BufferLevel::Accesses). */
  algorithmicLevelAccesses?: boolean;
}

export function operationalIntensity(inp: SummaryInputs): OperationalIntensity {
  const { spec, arithmetic, storage } = inp;
  let minTraffic = 0;
  let outputSize = 0;
  for (const ds of spec.problem.dataSpaces) {
    let capacity = 0;
    for (let s = storage.length - 1; s >= 0; s--) {
      const t = storage[s].tensors.find((x) => x.dataSpace === ds.name);
      capacity = t ? t.fine.maxDataOccupancy : 0;
      if (capacity > 0) break;
    }
    minTraffic += capacity;
    if (ds.readWrite) outputSize += capacity;
  }
  const elementwise = arithmetic.counts.random;
  // Unsigned 64-bit in the reference: computes skipped below the output size make the reduction
  // ops (and their sum) negative, printed wrapped modulo 2^64 (the result keeps the negative
  // value, as the importer reads it); the ratios below use the wrapped value.
  const reduction = inp.firstReadElision ? elementwise - outputSize : elementwise;
  const totalOps = elementwise + reduction;
  const outermost = storage[storage.length - 1].spec;
  const levels: OperationalIntensity['levels'] = {};
  for (const level of storage) {
    let total = 0;
    for (const t of level.tensors) {
      const a = t.fine.algorithmic;
      total += inp.algorithmicLevelAccesses
        ? Math.trunc(t.utilizedInstancesAverage * (a.reads + a.updates + a.fills))
        : (t.fine.reads.random + t.fine.fills.random + t.fine.updates.random) * level.spec.instances;
    }
    levels[level.spec.name] =
      total > 0 ? { totalScalarAccesses: total, opPerByte: f32(f32(u64(totalOps)) / f32(Math.floor((level.spec.wordBits * total) / 8))) } : {};
  }
  return {
    totalElementwiseOps: elementwise,
    totalReductionOps: reduction,
    totalOps,
    totalMemoryAccessesRequired: minTraffic,
    optimalOpPerByte: f32(f32(u64(totalOps)) / f32(Math.floor((outermost.wordBits * minTraffic) / 8))),
    levels,
  };
}

/** Energy per compute of every level and network, and in total. */
function perCompute(levelEnergy: [string, number][], networkEnergy: Record<string, number>, total: number, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, e] of levelEnergy) out[name] = e / n;
  for (const name in networkEnergy) out[name] = networkEnergy[name] / n;
  out.Total = total / n;
  return out;
}

export function summarize(inp: SummaryInputs, oi: OperationalIntensity): Summary {
  const { spec, arithmetic, storage, networkEnergy } = inp;
  const cycles = Math.max(arithmetic.cycles, ...storage.map((s) => s.cycles));
  const levelEnergy: [string, number][] = [
    [spec.architecture.arithmetic.name, arithmetic.energy],
    ...storage.map((s): [string, number] => [s.spec.name, s.energy]),
  ];
  let energy = 0;
  for (const [, e] of levelEnergy) energy += e;
  for (const e of Object.values(networkEnergy)) energy += e;
  let area = arithmetic.area;
  for (const s of storage) area += (spec.art.components[s.spec.name]?.area ?? 0) * s.spec.instances;
  const c = arithmetic.counts;
  const summary: Summary = {
    // float(total ops) / cycles: a float division (the cycles convert to float).
    gflops: f32(f32(u64(oi.totalOps)) / f32(cycles)),
    utilization: (c.random + c.gated) / spec.architecture.arithmetic.instances / cycles,
    cycles,
    energy: energy / 1e6,
    edp: (f32(cycles) * energy) / 1e12,
    area: area / 1e6,
    actualComputes: c.random,
    pJPerCompute: perCompute(levelEnergy, networkEnergy, energy, c.random),
  };
  if (inp.sparseLayout) {
    summary.algorithmicComputes = c.algorithmic;
    summary.pJPerAlgorithmicCompute = perCompute(levelEnergy, networkEnergy, energy, c.algorithmic);
  }
  return summary;
}
