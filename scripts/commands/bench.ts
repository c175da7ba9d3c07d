/**
 * `sparsegauge bench [--time <ms>] [--out <file>]`: tinybench timings of the in-process engine.
 *   - `evaluate` per Table 7 case (mean, p99, ops/s) and spec load + evaluate per case;
 *   - scaling: the conv3 sparse case with batch N = 1..64 (problem size), and with 0..8 extra
 *     temporal levels (loop count).
 *   - whole processes (scripts/lib/bench/process.ts): the CLI's `evaluate` per Table 7 run dir,
 *     `node -e 0`, a batch of 100 run dirs; with `--timeloop <timeloop-model>`, that binary too,
 *     alternating with ours, and the ratio per case. Needs the Table 7 run dirs (../shared).
 * Prints the tables and writes them to reports/bench.md. Timings are measurements, not checks:
 * the exit status is 0 whatever they are (1 only for a spec that does not evaluate).
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { checkOutputPath, writeFileSafely } from '../lib/safe-write.ts';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import chalk from 'chalk';
import { Bench, type Task } from 'tinybench';
import { evaluate } from '../../engine/index.ts';
import { SparsegaugeError } from '../../engine/errors.ts';
import type { Spec } from '../../engine/input/types.ts';
import type { CompatMode } from '../../engine/result/schema.ts';
import { median, processBench, type ProcessReport } from '../lib/bench/process.ts';
import { loopCount, table7Cases, withBatch, withDensity, withExtraTemporalLevels } from '../lib/bench/specs.ts';
import { REPO_ROOT } from '../lib/report/manifest.ts';
import { usageLine } from '../usage.ts';

/** What a Table 7 evaluation should cost on the 2-core CI machine (the issue's target). */
export const TARGET_US = 50;
const SCALING_CASE = 'conv3-sparse';
const BATCHES = [1, 2, 4, 8, 16, 32, 64];
const EXTRA_LEVELS = [0, 1, 2, 4, 8];
/** Hypergeometric densities whose tiles are large (each occupancy an emulated Boost pdf). */
const DENSITY_SERIES: { dataSpace: string; density: number; batch: number }[] = [
  { dataSpace: 'Inputs', density: 0.275, batch: 4 },
  { dataSpace: 'Outputs', density: 0.3, batch: 1 },
  { dataSpace: 'Outputs', density: 0.3, batch: 4 },
];
/** Whole-process targets (issue 12): one `evaluate` process, and the per-case cost in a batch of 100. */
export const TARGET_PROCESS_MS = 100;
export const TARGET_BATCH_CASE_MS = 5;
const USAGE = usageLine('bench');

interface Options {
  timeMs: number;
  out: string;
  runs: number;
  timeloop?: string;
}

function parseArgs(args: string[]): Options {
  const o: Options = { timeMs: 500, out: join(REPO_ROOT, 'reports', 'bench.md'), runs: 10 };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--time' && value !== undefined && Number(value) > 0) (o.timeMs = Number(value), i++);
    else if (flag === '--runs' && value !== undefined && /^\d+$/.test(value)) (o.runs = Number(value), i++);
    else if (flag === '--timeloop' && value !== undefined) (checkExecutable(value), (o.timeloop = resolve(value)), i++);
    else if (flag === '--out' && value !== undefined) (checkOutputPath(value), (o.out = value), i++);
    else throw new SparsegaugeError('schema', `unknown or incomplete argument '${flag}' (${USAGE})`, { field: flag });
  }
  return o;
}

function checkExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
    if (!statSync(path).isFile()) throw new Error();
  } catch {
    throw new SparsegaugeError('io', 'not an executable file (expected a timeloop-model binary)', { file: path, field: '--timeloop' });
  }
}

export interface Timing {
  meanUs: number;
  p99Us: number;
  opsPerSecond: number;
  samples: number;
}

function timing(task: Task): Timing {
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`benchmark task '${task.name}' ended ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
  // ops/s as the sustained rate (runs / total time), consistent with the mean latency.
  return { meanUs: r.latency.mean * 1000, p99Us: r.latency.p99 * 1000, opsPerSecond: 1000 / r.period, samples: r.latency.samplesCount };
}

interface CaseRow {
  id: string;
  compat: CompatMode;
  evaluate: Timing;
  loadEvaluate: Timing;
}
interface DensityRow {
  label: string;
  largestTile: number;
  tensorSize: number;
  evaluate: Timing;
}
interface ScalingRow {
  parameter: number;
  levels: number;
  loops: number;
  computes: number;
  evaluate: Timing;
}

/** Evaluate once before timing, so a broken spec is one error line, not a benchmark of a throw. */
function checked(spec: Spec, compat: CompatMode): { spec: Spec; computes: number } {
  const r = evaluate(spec, { compat });
  return { spec, computes: r.arithmetic.stats.algorithmicComputes ?? r.arithmetic.stats.actualComputes! };
}

export async function run(args: string[]): Promise<number> {
  const o = parseArgs(args);
  const bench = new Bench({ time: o.timeMs, warmupTime: Math.min(100, o.timeMs), iterations: 10, throws: true });

  const cases = table7Cases();
  for (const c of cases) {
    const { spec } = checked(c.load(), c.compat);
    bench.add(`evaluate ${c.id}`, () => void evaluate(spec, { compat: c.compat }));
    bench.add(`load+evaluate ${c.id}`, () => void evaluate(c.load(), { compat: c.compat }));
  }
  const base = cases.find((c) => c.id === SCALING_CASE)!;
  const baseSpec = base.load();
  const batch = BATCHES.map((n) => ({ n, ...checked(withBatch(baseSpec, n), base.compat) }));
  for (const b of batch) bench.add(`N=${b.n}`, () => void evaluate(b.spec, { compat: base.compat }));
  const levels = EXTRA_LEVELS.map((k) => ({ k, ...checked(withExtraTemporalLevels(baseSpec, k), base.compat) }));
  for (const l of levels) bench.add(`levels+${l.k}`, () => void evaluate(l.spec, { compat: base.compat }));
  const densities = DENSITY_SERIES.map((d) => {
    const spec = withDensity(withBatch(baseSpec, d.batch), d.dataSpace, 'hypergeometric', d.density);
    const r = evaluate(spec, { compat: base.compat });
    const tiles = Object.values(r.storage).map((s) => s.tensors[d.dataSpace]?.dataTileShape ?? 0);
    const label = `${d.dataSpace} hypergeometric ${d.density}, N=${d.batch}`;
    bench.add(label, () => void evaluate(spec, { compat: base.compat }));
    return { label, largestTile: Math.max(...tiles.slice(0, -1)), tensorSize: tiles[tiles.length - 1] };
  });

  console.log(chalk.bold(`sparsegauge bench: ${bench.tasks.length} tasks, ${o.timeMs} ms each`));
  bench.runSync();
  const t = (name: string) => timing(bench.getTask(name)!);

  const caseRows: CaseRow[] = cases.map((c) => ({ id: c.id, compat: c.compat, evaluate: t(`evaluate ${c.id}`), loadEvaluate: t(`load+evaluate ${c.id}`) }));
  const batchRows: ScalingRow[] = batch.map((b) => ({ parameter: b.n, levels: b.spec.mapping.levels.length, loops: loopCount(b.spec), computes: b.computes, evaluate: t(`N=${b.n}`) }));
  const levelRows: ScalingRow[] = levels.map((l) => ({ parameter: l.k, levels: l.spec.mapping.levels.length, loops: loopCount(l.spec), computes: l.computes, evaluate: t(`levels+${l.k}`) }));
  const densityRows: DensityRow[] = densities.map((d) => ({ ...d, evaluate: t(d.label) }));
  const report: BenchReport = { machine: machineLine(o.timeMs), caseRows, batchRows, levelRows, densityRows };

  const runDirs = cases.map((c) => ({ id: c.id, runDir: c.referenceDir }));
  if (o.runs > 0 && runDirs.every((c) => existsSync(c.runDir))) {
    console.log(chalk.bold(`whole processes: ${o.runs} runs per case${o.timeloop ? `, alternating with ${o.timeloop}` : ''}`));
    report.process = processBench({ cases: runDirs, runs: o.runs, timeloop: o.timeloop, log: (l) => console.log(chalk.dim(l)) });
  } else if (o.timeloop) {
    throw new SparsegaugeError('io', `--timeloop needs the Table 7 run dirs (${relative(process.cwd(), dirname(runDirs[0].runDir))}), which are not here${o.runs === 0 ? ', and --runs above 0' : ''}`, { field: '--timeloop' });
  }

  printConsole(report);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSafely(o.out, renderBenchReport(report));
  console.log(`-> ${relative(process.cwd(), o.out) || o.out}`);
  return 0;
}

function machineLine(timeMs: number): string {
  const cpu = cpus();
  return `${new Date().toISOString().slice(0, 10)}, ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores), Node ${process.version}, ${timeMs} ms per task`;
}

// ---------------------------------------------------------------- rendering

export interface BenchReport {
  machine: string;
  caseRows: CaseRow[];
  batchRows: ScalingRow[];
  levelRows: ScalingRow[];
  /** Hypergeometric densities on large tiles (absent in reports made before they were timed). */
  densityRows?: DensityRow[];
  /** Whole-process timings (absent without the Table 7 run dirs, or with --runs 0). */
  process?: ProcessReport;
}

const us = (x: number) => x.toFixed(1);
const ms = (x: number) => (x / 1000).toFixed(2);
const ops = (x: number) => Math.round(x).toString();
const ratio = (x: number, first: number) => `${(x / first).toFixed(2)}x`;

function tables(r: BenchReport): { title: string; head: string[]; rows: string[][] }[] {
  const b0 = r.batchRows[0].evaluate.meanUs;
  const l0 = r.levelRows[0].evaluate.meanUs;
  return [
    {
      title: 'evaluate per Table 7 case',
      head: ['case', 'compat', 'mean (µs)', 'p99 (µs)', 'ops/s', 'load + evaluate mean (ms)'],
      rows: r.caseRows.map((c) => [c.id, c.compat, us(c.evaluate.meanUs), us(c.evaluate.p99Us), ops(c.evaluate.opsPerSecond), ms(c.loadEvaluate.meanUs)]),
    },
    {
      title: `Scaling with problem size: ${SCALING_CASE}, batch N (its factor at DRAM)`,
      head: ['N', 'algorithmic computes', 'loops', 'mean (µs)', 'p99 (µs)', 'vs N=1'],
      rows: r.batchRows.map((s) => [String(s.parameter), String(s.computes), String(s.loops), us(s.evaluate.meanUs), us(s.evaluate.p99Us), ratio(s.evaluate.meanUs, b0)]),
    },
    {
      title: `Scaling with loop count: ${SCALING_CASE}, extra temporal levels below DRAM`,
      head: ['extra levels', 'levels', 'loops', 'mean (µs)', 'p99 (µs)', 'vs +0'],
      rows: r.levelRows.map((s) => [`+${s.parameter}`, String(s.levels), String(s.loops), us(s.evaluate.meanUs), us(s.evaluate.p99Us), ratio(s.evaluate.meanUs, l0)]),
    },
    ...(r.densityRows
      ? [
          {
            title: `Hypergeometric densities on large tiles: ${SCALING_CASE}, one data space hypergeometric`,
            head: ['density', 'largest tile below the outermost level (words)', 'tensor (words)', 'mean (ms)', 'p99 (ms)'],
            rows: r.densityRows.map((d) => [d.label, String(d.largestTile), String(d.tensorSize), ms(d.evaluate.meanUs), ms(d.evaluate.p99Us)]),
          },
        ]
      : []),
    ...processTables(r.process),
  ];
}

const msText = (x: number) => x.toFixed(1);

function processTables(p: ProcessReport | undefined): { title: string; head: string[]; rows: string[][] }[] {
  if (!p) return [];
  const tl = (row: ProcessReport['rows'][number]) => (row.timeloop && 'ms' in row.timeloop ? median(row.timeloop.ms) : undefined);
  const withTimeloop = p.timeloopBinary !== undefined;
  const tlMedians = p.rows.map(tl).filter((x): x is number => x !== undefined);
  const batchMs = median(p.batch.wall.ms);
  const perCase = batchMs / p.batch.runDirs;
  const oursMedian = median(p.rows.map((r) => median(r.ours.ms)));
  return [
    {
      title: `Whole process per Table 7 case: \`sparsegauge evaluate <run dir> --out <file>\` (${p.runs} runs; \`node -e 0\` median ${msText(median(p.node.ms))} ms)`,
      head: ['case', 'ours median (ms)', 'ours min (ms)', ...(withTimeloop ? ['timeloop-model median (ms)', 'ours / timeloop-model'] : [])],
      rows: p.rows.map((row) => {
        const t = tl(row);
        const ours = median(row.ours.ms);
        const timeloop = !withTimeloop ? [] : t === undefined ? [`failed: ${(row.timeloop as { error: string }).error}`, '-'] : [msText(t), `${(ours / t).toFixed(2)}x`];
        return [row.id, msText(ours), msText(Math.min(...row.ours.ms)), ...timeloop];
      }),
    },
    {
      title: `Batch: \`sparsegauge evaluate <${p.batch.runDirs} run dirs> --out-dir <dir> --jobs ${p.batch.jobs}\` (copies of the Table 7 run dirs, ${p.batch.wall.ms.length} runs)`,
      head: ['run dirs', 'jobs', 'wall median (ms)', 'per run dir (ms)', 'vs one process per case', ...(tlMedians.length ? ['vs timeloop-model per case'] : [])],
      rows: [
        [String(p.batch.runDirs), String(p.batch.jobs), msText(batchMs), perCase.toFixed(2), `${(perCase / oursMedian).toFixed(3)}x`, ...(tlMedians.length ? [`${(perCase / median(tlMedians)).toFixed(3)}x`] : [])],
      ],
    },
  ];
}

function processVerdict(p: ProcessReport): string {
  const worst = Math.max(...p.rows.map((r) => median(r.ours.ms)));
  const perCase = median(p.batch.wall.ms) / p.batch.runDirs;
  return (
    `Whole process: slowest case ${msText(worst)} ms median (target ≤ ${TARGET_PROCESS_MS} ms: ${worst <= TARGET_PROCESS_MS ? 'met' : 'not met'}); ` +
    `batch of ${p.batch.runDirs}: ${perCase.toFixed(2)} ms per run dir (target ≤ ${TARGET_BATCH_CASE_MS} ms: ${perCase <= TARGET_BATCH_CASE_MS ? 'met' : 'not met'}). ` +
    `Load average ${p.load[0].toFixed(2)} before, ${p.load[1].toFixed(2)} after${p.timeloopBinary ? `; timeloop-model: ${p.timeloopBinary}` : ''}.` +
    (p.staleBuild ? ` The CLI ran from the TypeScript sources (dist/ was stale: ${p.staleBuild}).` : '')
  );
}

function verdict(r: BenchReport): string {
  const worst = r.caseRows.reduce((a, c) => (c.evaluate.meanUs > a.evaluate.meanUs ? c : a));
  const met = worst.evaluate.meanUs <= TARGET_US;
  const growth = r.batchRows[r.batchRows.length - 1].evaluate.meanUs / r.batchRows[0].evaluate.meanUs;
  return (
    `Target ≤ ${TARGET_US} µs per Table 7 evaluation: ${met ? 'met' : 'not met'} (slowest ${worst.id}, ${us(worst.evaluate.meanUs)} µs mean). ` +
    `N = ${r.batchRows[0].parameter} → ${r.batchRows[r.batchRows.length - 1].parameter} changes the evaluation time ${growth.toFixed(2)}x.` +
    (r.process ? `\n\n${processVerdict(r.process)}` : '')
  );
}

/** reports/bench.md: fixed layout; only the header line (date, machine) and the numbers vary. */
export function renderBenchReport(r: BenchReport): string {
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`sparsegauge bench\` on ${r.machine}.`,
    '',
    'In-process `evaluate(spec)` on specs loaded once (tinybench: mean and 99th-percentile latency; ops/s = 1 / mean); ' +
      '"load + evaluate" also reads, renders and validates the spec files. Whole-process tables time the command line ' +
      '(wall clock, start-up included) in temporary copies of the Table 7 run dirs. Timings, not tests: nothing here fails a build.',
    '',
    verdict(r),
  ];
  for (const t of tables(r)) {
    const numeric = t.head.map((_, i) => t.rows.every((row) => NUMBER.test(row[i])));
    lines.push('', `## ${t.title}`, '', `| ${t.head.join(' | ')} |`, `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
    for (const row of t.rows) lines.push(`| ${row.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

const NUMBER = /^[+-]?[\d.]+x?$/;

function printConsole(r: BenchReport): void {
  for (const t of tables(r)) {
    const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((row) => row[i].length)));
    const numeric = t.head.map((_, i) => t.rows.every((row) => NUMBER.test(row[i])));
    const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    console.log(`\n${chalk.bold(t.title)}`);
    console.log(chalk.dim(line(t.head)));
    for (const row of t.rows) console.log(line(row));
  }
  const v = verdict(r);
  console.log(`\n${/: met/.test(v) ? chalk.green(v) : chalk.yellow(v)}`);
}
