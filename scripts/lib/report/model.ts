/**
 * The report model: everything `reports/<suite>.md` shows, as plain strings and numbers, computed
 * from golden results, our results and a tolerance check. Pure: no I/O, no clock (the caller passes
 * the one header line that may carry a date).
 */
import type { Result } from '../../../engine/result/schema.ts';
import { compressionRatio, denseSparsePairs, METADATA_OVERHEAD_FACTOR, outermostLevel } from './compression.ts';
import { levelEnergies, levelNames } from './energy.ts';
import type { Outcome } from './evaluate-case.ts';
import { governedFields, type Fix } from './fixes.ts';
import { caseLabel, type GoldenCase } from './manifest.ts';
import { valueAt as getPath, type Discrepancy } from '../compare/index.ts';

/** Whether `actual` is within tolerance of `expected` for the field at `path`. */
export type ToleranceCheck = (expected: number, actual: number, path: string) => boolean;

/** Full field-by-field comparison (the shared compare library): fields compared and those outside. */
export type CompareFn = (golden: Result, ours: Result) => { compared: number; outside: Discrepancy[] };

export interface CaseRun {
  c: GoldenCase;
  golden: Result;
  outcome: Outcome;
}

export interface FixRun {
  fix: Fix;
  /** Only the cases the fix governs; `off` is the evaluation with the fix disabled. */
  cases: { c: GoldenCase; golden: Result; on: Outcome; off: Outcome }[];
}

export interface ReportInput {
  suite: string;
  generatedLine: string;
  tolerancesFile: string;
  specFiles: string[];
  /** Per-case spec files, shown as patterns (`golden/oracle/spec/<case id>.yaml`); empty when every case uses `specFiles` alone. */
  caseSpecFiles?: string[];
  chartFile: string;
  runs: CaseRun[];
  fixRuns: FixRun[];
  check: ToleranceCheck;
  compare: CompareFn;
  /** Discrepancy list cap, so a badly broken engine still gives a readable report. */
  maxDiscrepancies?: number;
  /** Cases still exactly their entry in the suite's known-gaps file (by case id), and that file. */
  knownGaps?: { file: string; ids: ReadonlySet<string> };
}

export function formatNumber(x: unknown): string {
  if (typeof x !== 'number') return x === undefined ? 'missing' : JSON.stringify(x);
  if (Number.isInteger(x)) return String(x);
  return Number(x.toPrecision(12)).toString();
}

export function formatRatio(expected: unknown, actual: unknown): string {
  if (typeof expected !== 'number' || typeof actual !== 'number') return '-';
  if (expected === actual) return '1';
  if (expected === 0) return '∞';
  return (actual / expected).toFixed(7);
}

interface Cell {
  golden: string;
  ours: string;
  ratio: string;
  ok: boolean;
}

function cell(golden: number, ours: number | undefined, ok: boolean): Cell {
  return { golden: formatNumber(golden), ours: ours === undefined ? '-' : formatNumber(ours), ratio: ours === undefined ? '-' : formatRatio(golden, ours), ok };
}

function fieldCell(golden: Result, ours: Result | null, path: string, check: ToleranceCheck): Cell {
  const g = getPath(golden, path) as number;
  const o = ours ? (getPath(ours, path) as number | undefined) : undefined;
  return cell(g, typeof o === 'number' ? o : undefined, typeof o === 'number' && check(g, o, path));
}

const sumOf = (m: Map<string, number>): number => [...m.values()].reduce((s, x) => s + x, 0);

export function buildReportModel(input: ReportInput) {
  const { runs, check } = input;
  const cap = input.maxDiscrepancies ?? 200;
  const levelColumns = runs.length > 0 ? levelNames(runs[0].golden) : [];
  let compared = 0;
  const discrepancies: { label: string; path: string; expected: string; actual: string; ratio: string }[] = [];
  let outsideTotal = 0;
  const casesOutside: string[] = [];

  const cases = runs.map(({ c, golden, outcome }) => {
    const ours = outcome.ok ? outcome.result : null;
    const label = caseLabel(c);
    if (ours) {
      const cmp = input.compare(golden, ours);
      compared += cmp.compared;
      outsideTotal += cmp.outside.length;
      if (cmp.outside.length > 0) casesOutside.push(label);
      for (const d of cmp.outside) {
        if (discrepancies.length < cap) {
          discrepancies.push({ label, path: d.path, expected: formatNumber(d.expected), actual: formatNumber(d.actual), ratio: formatRatio(d.expected, d.actual) });
        }
      }
    }
    const dramLevel = outermostLevel(golden);
    const dram = Object.keys(golden.storage[dramLevel].tensors).map((tensor) => {
      const at = (action: string) => fieldCell(golden, ours, `storage.${dramLevel}.tensors.${tensor}.${action}.actual`, check);
      const cells = { reads: at('reads'), fills: at('fills'), updates: at('updates') };
      return { level: dramLevel, tensor, ...cells, ok: cells.reads.ok && cells.fills.ok && cells.updates.ok };
    });
    const gLevels = levelEnergies(golden);
    const gEnergy = new Map(gLevels.map((l) => [l.level, l.energy]));
    const oEnergy = new Map(ours ? levelEnergies(ours).map((l) => [l.level, l.energy]) : []);
    const levelEnergy: Record<string, Cell> = {};
    for (const level of levelColumns) {
      const g = gEnergy.get(level) ?? 0;
      const o = oEnergy.get(level);
      const path = gLevels.find((l) => l.level === level)?.tolerancePath ?? `storage.${level}.tensors.*.energyTotal`;
      levelEnergy[level] = cell(g, o, o !== undefined && check(g, o, path));
    }
    return {
      id: c.id,
      label,
      compat: c.compat,
      statusText: !outcome.ok ? '**engine error**' : casesOutside.includes(label) ? '**outside tolerance**' : 'exact',
      cycles: fieldCell(golden, ours, 'summary.cycles', check),
      // Σ of level energies in uJ: full precision on both sides (the summary line is printed to 2 decimals).
      energy: cell(
        sumOf(gEnergy) / 1e6,
        ours ? sumOf(oEnergy) / 1e6 : undefined,
        ours !== null && Object.values(levelEnergy).every((e) => e.ok),
      ),
      dram,
      levelEnergy,
      chart: { label, levels: levelColumns.map((level) => ({ level, golden: gEnergy.get(level) ?? 0, ours: ours ? (oEnergy.get(level) ?? 0) : null })) },
    };
  });
  const failures = runs.filter((r) => !r.outcome.ok).map((r) => ({ label: caseLabel(r.c), compat: r.c.compat, error: (r.outcome as { error: string }).error }));

  const fixes = input.fixRuns.map((fr) => fixSummary(input.suite, fr, check));

  const compression = denseSparsePairs(runs.map((r) => ({ ...r, layer: r.c.layer, kind: r.c.kind }))).map(({ layer, dense, sparse }) => {
    const golden = compressionRatio(dense.golden, sparse.golden);
    const denseOurs = dense.outcome.ok ? dense.outcome.result : null;
    const sparseOurs = sparse.outcome.ok ? sparse.outcome.result : null;
    const ours = denseOurs && sparseOurs ? compressionRatio(denseOurs, sparseOurs) : null;
    const g2 = golden.ratio.toFixed(2);
    const o2 = ours ? ours.ratio.toFixed(2) : null;
    return {
      layer,
      compressedTensors: golden.sparseTerms.filter((t) => t.compressed).map((t) => t.tensor).join(', ') || 'none',
      golden: g2,
      ours: o2 ?? 'error',
      status: o2 === null ? '**engine error**' : o2 === g2 ? 'same' : '**differs**',
    };
  });

  const failedCaseIds = failures.map((f) => f.label);
  // Cases off their golden numbers that are listed, still exactly, as known gaps.
  const gapLabels = new Set(runs.filter((r) => input.knownGaps?.ids.has(r.c.id)).map((r) => caseLabel(r.c)));
  const offLabels = [...casesOutside, ...failedCaseIds];
  const status = {
    ok: outsideTotal === 0 && failures.length === 0,
    allKnownGaps: offLabels.length > 0 && offLabels.every((l) => gapLabels.has(l)),
    knownGapsFile: input.knownGaps?.file ?? '',
    outside: outsideTotal,
    compared,
    casesOutside,
    failedCases: failures.length,
    failedCaseIds,
    fixesNotBiting: fixes.filter((f) => !f.bites).map((f) => f.id),
  };
  return {
    suite: input.suite,
    generatedLine: input.generatedLine,
    tolerancesFile: input.tolerancesFile,
    specFiles: input.specFiles,
    caseSpecFiles: input.caseSpecFiles ?? [],
    chartFile: input.chartFile,
    status,
    cases,
    levelColumns,
    discrepancies,
    discrepanciesOmitted: Math.max(0, outsideTotal - discrepancies.length),
    failures,
    fixes,
    compression,
    compressionRowGolden: compression.map((r) => r.golden).join(' '),
    compressionRowOurs: compression.map((r) => r.ours).join(' '),
    overheadFactor: METADATA_OVERHEAD_FACTOR,
  };
}

export type ReportModel = ReturnType<typeof buildReportModel>;

/** On/off effect of one fix over the cases it governs. */
export function fixSummary(suite: string, fr: FixRun, check: ToleranceCheck) {
  let governed = 0;
  let outsideOn = 0;
  let outsideOff = 0;
  let errors = 0;
  let largest: { label: string; path: string; golden: string; off: string; ratio: string; score: number } | null = null;
  for (const { c, golden, on, off } of fr.cases) {
    const fields = governedFields(fr.fix, suite, c.id, golden);
    governed += fields.length;
    if (!on.ok || !off.ok) {
      errors++;
      continue;
    }
    for (const [path, g] of fields) {
      const vOn = getPath(on.result, path);
      const vOff = getPath(off.result, path);
      if (!(typeof vOn === 'number' && check(g, vOn, path))) outsideOn++;
      if (!(typeof vOff === 'number' && check(g, vOff, path))) {
        outsideOff++;
        // Largest relative move in log space; a missing field ranks below any numeric move.
        const score = typeof vOff === 'number' ? Math.abs(Math.log(Math.abs(vOff) + 1) - Math.log(Math.abs(g) + 1)) : -1;
        if (!largest || score > largest.score) {
          largest = { label: caseLabel(c), path, golden: formatNumber(g), off: formatNumber(vOff), ratio: formatRatio(g, vOff), score };
        }
      }
    }
  }
  return {
    id: fr.fix.id,
    description: fr.fix.description,
    governed,
    outsideOn,
    outsideOff,
    bites: outsideOff > 0,
    largest,
    note: errors > 0 ? `${errors} case(s) failed to evaluate` : 'no governed field moved',
  };
}
