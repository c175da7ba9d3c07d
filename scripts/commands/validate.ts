/**
 * `sparsegauge validate [--reports <dir>]`: evaluate every golden case of every suite, print a
 * progress line per case and a compact summary, write `reports/<suite>.md` and its energy chart.
 * Exit 1 when any field is outside tolerance or any case fails to evaluate. The evaluations run
 * over `--jobs` worker threads (default one per core); results and output order do not depend on it.
 *
 * A status suite (`report: status`, golden/corpus) writes the status report instead: a case that is
 * not as its reference build does it fails validation unless it is a listed known gap. A status
 * suite whose cases are read from a reference root that is not here is skipped, with a message.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { writeFileSafely } from '../lib/safe-write.ts';
import { join, relative } from 'node:path';
import chalk from 'chalk';
import { SparsegaugeError } from '../../engine/errors.ts';
import type { Result } from '../../engine/result/schema.ts';
import { energyChartSvg } from '../lib/report/chart.ts';
import type { Outcome } from '../lib/report/evaluate-case.ts';
import { defaultJobs, TaskPool } from '../lib/batch/pool.ts';
import type { ValidateTask } from '../lib/batch/validate-case.ts';
import { loadGolden } from '../lib/report/golden.ts';
import { governedFields, loadFixes } from '../lib/report/fixes.ts';
type Fix = ReturnType<typeof loadFixes>[number];
import { caseLabel, caseSpecPatterns, findManifestFiles, loadManifest, REPO_ROOT, type Manifest } from '../lib/report/manifest.ts';
import { buildReportModel, type CaseRun, type FixRun } from '../lib/report/model.ts';
import { renderStatusReport, renderSuiteReport } from '../lib/report/render.ts';
import { caseVerdict, isExpected } from '../lib/report/case-status.ts';
import { gapStillHolds, knownGapsFile, loadKnownGaps } from '../lib/report/known-gaps.ts';
import type { StatusRun } from '../lib/report/status-case.ts';
import { buildStatusReportModel } from '../lib/report/status-model.ts';
import { compareFn, loadTolerances, toleranceCheck, TOLERANCES_FILE } from '../lib/report/tolerance.ts';
import { usageLine } from '../usage.ts';

const USAGE = usageLine('validate');

function parseArgs(args: string[]): { reportsDir: string; jobs: number } {
  let reportsDir = join(REPO_ROOT, 'reports');
  let jobs = defaultJobs();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--reports' && args[i + 1]) reportsDir = args[++i];
    else if (args[i] === '--jobs' && args[i + 1] && /^[1-9]\d*$/.test(args[i + 1])) jobs = Number(args[++i]);
    else throw new SparsegaugeError('schema', `unknown or incomplete argument '${args[i]}' (${USAGE})`, { field: args[i] });
  }
  return { reportsDir, jobs };
}

export async function run(args: string[]): Promise<number> {
  const { reportsDir, jobs } = parseArgs(args);
  const pool = new TaskPool(jobs);
  try {
    return await validateAll(reportsDir, pool);
  } finally {
    await pool.close();
  }
}

async function validateAll(reportsDir: string, pool: TaskPool): Promise<number> {
  const tolerances = loadTolerances(TOLERANCES_FILE);
  const check = toleranceCheck(tolerances);
  const compare = compareFn(tolerances);
  const fixes = loadFixes();
  let failed = false;

  for (const file of findManifestFiles()) {
    const manifest = loadManifest(file);
    if (manifest.report === 'status') {
      failed ||= !(await validateStatusSuite(manifest, reportsDir, pool));
      continue;
    }
    console.log(chalk.bold(`${manifest.suite}: ${manifest.cases.length} cases`));
    // Every evaluation of the suite (each case, then each governing fix switched off) in one batch.
    const goldens = manifest.cases.map(loadGolden);
    const fixCases = fixes.flatMap((fix) => manifest.cases.flatMap((c, i) => (governedFields(fix, manifest.suite, c.id, goldens[i]).length > 0 ? [{ fix, i }] : [])));
    const tasks: ValidateTask[] = [
      ...manifest.cases.map((c) => ({ manifest, case: c, disabledFixes: [] })),
      ...fixCases.map(({ fix, i }) => ({ manifest, case: manifest.cases[i], disabledFixes: [fix.id] })),
    ];
    const evaluated = await pool.run('validate-case', tasks);
    const runs: CaseRun[] = [];
    for (const [i, c] of manifest.cases.entries()) {
      const golden = goldens[i];
      const { outcome } = evaluated[i];
      const ms = evaluated[i].ms.toFixed(1);
      runs.push({ c, golden, outcome });
      const name = `${caseLabel(c)} [${c.compat}]`.padEnd(24);
      if (!outcome.ok) {
        console.log(`  ${chalk.red('✗')} ${name} ${chalk.red('engine error:')} ${outcome.error}`);
        continue;
      }
      const { compared, outside } = compare(golden, outcome.result);
      const detail = `${compared} fields, ${outside.length} outside tolerance`;
      console.log(`  ${outside.length === 0 ? chalk.green('✓') : chalk.red('✗')} ${name} ${outside.length === 0 ? chalk.green(detail) : chalk.red(detail)} ${chalk.dim(`${ms} ms`)}`);
    }

    const fixRuns = groupFixRuns(fixCases, runs, evaluated.slice(manifest.cases.length).map((e) => e.outcome));
    const chartName = `${manifest.suite}-energy.svg`;
    // A case listed in the suite's known-gaps.yaml that is still exactly that gap is not a failure.
    const gaps = loadKnownGaps(manifest);
    const unexplained = runs.filter((r) => {
      const gap = gaps.get(r.c.id);
      if (!gap) return !r.outcome.ok || compare(r.golden, r.outcome.result).outside.length > 0;
      return !gapStillHolds(gap, caseVerdict(manifest, r.c, r.golden, r.outcome, compare)).holds;
    });
    const model = buildReportModel({
      suite: manifest.suite,
      generatedLine: `Generated by \`sparsegauge validate\` on ${new Date().toISOString().slice(0, 10)}`,
      tolerancesFile: rel(TOLERANCES_FILE),
      specFiles: manifest.spec.map(rel),
      caseSpecFiles: caseSpecPatterns(manifest, rel),
      chartFile: chartName,
      runs,
      fixRuns,
      check,
      compare,
      knownGaps: { file: rel(knownGapsFile(manifest)), ids: new Set(runs.filter((r) => gaps.has(r.c.id) && !unexplained.includes(r)).map((r) => r.c.id)) },
    });
    mkdirSync(reportsDir, { recursive: true });
    const reportFile = join(reportsDir, `${manifest.suite}.md`);
    writeFileSafely(reportFile, renderSuiteReport(model));
    writeFileSafely(join(reportsDir, chartName), energyChartSvg(model.cases.map((c) => c.chart), `${manifest.suite}: energy per level, golden (G) vs ours (O)`));

    for (const f of model.fixes) {
      const mark = f.bites && f.outsideOn === 0 ? chalk.green('✓') : chalk.yellow('!');
      console.log(`  ${mark} fix ${f.id.padEnd(26)} off moves ${f.outsideOff}/${f.governed} governed fields${f.outsideOn ? chalk.red(`, ${f.outsideOn} outside with it on`) : ''}`);
    }
    if (model.compression.length > 0) {
      console.log(`  compression row  golden ${model.compressionRowGolden}`);
      console.log(`                   ours   ${model.compressionRowGolden === model.compressionRowOurs ? chalk.green(model.compressionRowOurs) : chalk.red(model.compressionRowOurs)}`);
    }
    const s = model.status;
    const inGaps = s.ok ? '' : ` (${gaps.size} known gap(s), ${rel(knownGapsFile(manifest))})`;
    const verdict =
      s.ok || unexplained.length === 0
        ? chalk.green.bold(`PASS: ${s.compared} fields compared, ${s.outside} outside tolerance${inGaps}`)
        : chalk.red.bold(`FAIL: ${s.outside} field(s) outside tolerance${s.failedCases ? `, ${s.failedCases} case(s) failed to evaluate` : ''}; not a known gap: ${unexplained.map((r) => r.c.id).join(', ')}`);
    console.log(`  ${verdict}  -> ${rel(reportFile)}`);
    failed ||= unexplained.length > 0;
  }
  return failed ? 1 : 0;
}

/** A status suite: per-case verdicts, the status report; true when every case is as expected or a listed gap. */
async function validateStatusSuite(manifest: Manifest, reportsDir: string, pool: TaskPool): Promise<boolean> {
  if (manifest.specFromReference && !existsSync(manifest.referenceRoot)) {
    console.log(chalk.bold(`${manifest.suite}: skipped, its inputs are read from ${rel(manifest.referenceRoot)}, which is not here`));
    return true;
  }
  const gaps = loadKnownGaps(manifest);
  console.log(chalk.bold(`${manifest.suite}: ${manifest.cases.length} cases, ${gaps.size} known gaps`));
  const runs: StatusRun[] = await pool.run('status-case', manifest.cases.map((c) => ({ manifest, case: c })));
  for (const r of runs) {
    const c = r.c;
    const gap = gaps.get(c.id);
    const mark = isExpected(c, r.verdict) ? chalk.green('✓') : gap ? chalk.yellow('○') : chalk.red('✗');
    const detail = r.verdict.status === 'differs' ? `${r.verdict.outside!.length} fields outside tolerance` : (r.verdict.reason ?? '');
    console.log(`  ${mark} ${c.id} ${chalk.dim(`[${c.expect}]`)} ${r.verdict.status}${gap ? chalk.yellow(' (known gap)') : ''} ${chalk.dim(detail)} ${chalk.dim(`${r.ms.toFixed(1)} ms`)}`);
  }
  const model = buildStatusReportModel({
    manifest,
    generatedLine: `Generated by \`sparsegauge validate\` on ${new Date().toISOString().slice(0, 10)}`,
    tolerancesFile: rel(TOLERANCES_FILE),
    manifestFile: rel(manifest.file),
    gapsFile: rel(knownGapsFile(manifest)),
    gaps,
    runs,
  });
  mkdirSync(reportsDir, { recursive: true });
  const reportFile = join(reportsDir, `${manifest.suite}.md`);
  writeFileSafely(reportFile, renderStatusReport(model));
  for (const g of model.staleGaps) console.log(`  ${chalk.yellow('!')} ${g}`);
  const t = model.total;
  const line = `${t.exact}/${t.refRuns} exact, ${t.differs} differ, ${t.refused} refused; ${t.sameCause}/${t.refRefuses} refused for Timeloop's cause, ${t.otherCause} another cause, ${t.runs} run; ${t.gaps} known gaps`;
  console.log(`  ${model.ok ? chalk.green.bold(`PASS: ${line}`) : chalk.red.bold(`FAIL: not as expected and not a known gap: ${model.unexpected.join(', ')}; ${line}`)}  -> ${rel(reportFile)}`);
  return model.ok;
}

/**
 * Each fix switched off alone, on the cases it governs (the all-on outcome is reused). A fix that
 * governs no case of this suite is left out of its report.
 */
function groupFixRuns(fixCases: { fix: Fix; i: number }[], runs: CaseRun[], offs: Outcome[]): FixRun[] {
  const out: FixRun[] = [];
  fixCases.forEach(({ fix, i }, k) => {
    const { c, golden, outcome } = runs[i];
    let entry = out.find((f) => f.fix === fix);
    if (!entry) out.push((entry = { fix, cases: [] }));
    entry.cases.push({ c, golden: golden as Result, on: outcome, off: offs[k] });
  });
  return out;
}

const rel = (p: string): string => relative(REPO_ROOT, p) || '.';
