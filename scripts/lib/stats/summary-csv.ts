/**
 * golden/<suite>/summary.csv: one row per case with the headline numbers a person checks first
 * (cycles, energies per level, DRAM traffic per tensor, computes). Level energy = Σ over tensors of
 * energy + temporal-reduction energy + address-generation energy (totals), as the stats file sums it.
 */
import type { Result } from '../../../engine/result/schema.ts';

export interface SummaryRow {
  id: string;
  /** Empty cells for cases named by id alone. */
  layer?: string;
  kind?: string;
  result: Result;
}

function levelEnergy(r: Result, level: string): number {
  return Object.values(r.storage[level].tensors).reduce(
    (sum, t) => sum + t.energyTotal + t.temporalReductionEnergyTotal + t.addressGenerationEnergyTotal,
    0,
  );
}

function networkEnergy(r: Result): number {
  let sum = 0;
  for (const n of Object.values(r.networks)) for (const t of Object.values(n.tensors)) sum += t.energyTotal;
  return sum;
}

function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The outermost storage level (stats prints levels innermost first). */
function outermost(r: Result): string {
  const names = Object.keys(r.storage);
  return names[names.length - 1];
}

export function summaryCsv(rows: SummaryRow[]): string {
  // Columns are the union over cases, in first-seen order, so every row has the same shape.
  const levels: string[] = [];
  const dramTensors: string[] = [];
  for (const { result } of rows) {
    for (const l of [result.arithmetic.name, ...Object.keys(result.storage)]) if (!levels.includes(l)) levels.push(l);
    for (const t of Object.keys(result.storage[outermost(result)].tensors)) if (!dramTensors.includes(t)) dramTensors.push(t);
  }
  const header = [
    'case', 'layer', 'kind', 'outer_level', 'cycles', 'energy_uJ',
    ...levels.map((l) => `energy_${l}_pJ`), 'energy_networks_pJ',
    ...dramTensors.flatMap((t) => [`outer_${t}_reads`, `outer_${t}_fills`, `outer_${t}_updates`]),
    'algorithmic_computes', 'actual_computes',
  ];
  const lines = [header.join(',')];
  for (const { id, layer, kind, result: r } of rows) {
    const outer = outermost(r);
    const cells: (string | number | undefined)[] = [
      id, layer, kind, outer, r.summary.cycles, r.summary.energy,
      ...levels.map((l) => (l === r.arithmetic.name ? r.arithmetic.stats.energy : l in r.storage ? levelEnergy(r, l) : undefined)),
      networkEnergy(r),
      ...dramTensors.flatMap((t) => {
        const s = r.storage[outer].tensors[t];
        return s ? [s.reads.actual, s.fills.actual, s.updates.actual] : [undefined, undefined, undefined];
      }),
      r.arithmetic.stats.algorithmicComputes, r.arithmetic.stats.actualComputes,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
