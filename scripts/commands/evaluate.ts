/**
 * `sparsegauge evaluate <run-dir | spec files...> [--var k=v]... [--compat <mode>]
 *                       [--disable-fix <id>]... [--strict] [--out result.json]`
 * `sparsegauge evaluate <run-dir>... --out-dir <dir> [--jobs N] [same options]`
 * Loads a Timeloop run dir (aggregated_input.yaml or spec YAMLs, ERT.yaml, ART.yaml) or explicit
 * spec files, evaluates it and writes the result JSON (the schema of `import`) to --out, or to
 * stdout. With --out, a short human summary goes to stdout instead. --strict refuses every key the
 * model does not read (default: a warning on stderr and in meta.warnings).
 * With --out-dir, every argument is a run dir: each is evaluated (over --jobs worker threads, one
 * per core by default) and written to `<dir>/<run-dir name>.json`, one summary line per run dir in
 * the order given; a run dir that fails prints its error line and the others still run.
 */
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { COMPAT_MODE_NAMES, DEFAULT_COMPAT_MODE } from '../../engine/compat-modes.ts';
import { runDirFiles } from '../../engine/input/load.ts';
import { FIX_IDS, type FixId } from '../../engine/options.ts';
import type { CompatMode } from '../../engine/result/schema.ts';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { evaluateTask, isDirectory, type EvaluateTask } from '../lib/batch/evaluate-run.ts';
import { checkOutputPath, writeFileSafely } from '../lib/safe-write.ts';
import { usageLine } from '../usage.ts';

const USAGE = usageLine('evaluate');
const COMPAT: readonly CompatMode[] = COMPAT_MODE_NAMES;

interface EvaluateArgs {
  inputs: string[];
  vars: Record<string, string>;
  compat: CompatMode;
  disabledFixes: FixId[];
  strict: boolean;
  out?: string;
  outDir?: string;
  jobs?: number;
}

/** Repeatable options are pulled out first; the rest goes through the shared parser. */
function takeRepeated(args: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}`) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`option --${name} needs a value`);
      values.push(v);
    } else if (a.startsWith(`--${name}=`)) values.push(a.slice(name.length + 3));
    else rest.push(a);
  }
  return { values, rest };
}

export function parseEvaluateArgs(args: string[]): EvaluateArgs {
  const vars = takeRepeated(args, 'var');
  const fixes = takeRepeated(vars.rest, 'disable-fix');
  const parsed = parseArgs(fixes.rest, ['compat', 'out', 'out-dir', 'jobs'], ['strict']);
  if (parsed.positionals.length === 0) throw new UsageError('expected a run dir or spec files');
  const compat = (parsed.options.compat ?? DEFAULT_COMPAT_MODE) as CompatMode;
  if (!COMPAT.includes(compat)) throw new UsageError(`unknown --compat '${parsed.options.compat}' (expected ${COMPAT.join(' or ')})`);
  const varMap: Record<string, string> = Object.create(null); // names come from the command line
  for (const kv of vars.values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(kv);
    if (!m) throw new UsageError(`--var expects key=value, got '${kv}'`);
    varMap[m[1]] = m[2];
  }
  for (const f of fixes.values) {
    if (!(FIX_IDS as readonly string[]).includes(f)) throw new UsageError(`unknown fix '${f}' (known: ${FIX_IDS.join(', ')})`);
  }
  let jobs: number | undefined;
  if (parsed.options.jobs !== undefined) {
    jobs = Number(parsed.options.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs expects a whole number >= 1, got '${parsed.options.jobs}'`);
  }
  const a: EvaluateArgs = { inputs: parsed.positionals, vars: varMap, compat, disabledFixes: fixes.values as FixId[], strict: parsed.flags.has('strict'), out: parsed.options.out, outDir: parsed.options['out-dir'], jobs };
  if (a.out !== undefined && a.outDir !== undefined) throw new UsageError('give --out (one result) or --out-dir (one result per run dir), not both');
  return a;
}

export async function run(args: string[]): Promise<number> {
  let a: EvaluateArgs;
  try {
    a = parseEvaluateArgs(args);
    const dirs = a.inputs.filter(isDirectory);
    if (dirs.length > 0 && dirs.length < a.inputs.length) throw new UsageError('give run dirs or spec files, not both');
    if (a.outDir === undefined && dirs.length > 1) throw new UsageError('several run dirs need --out-dir <dir> (one result file per run dir)');
    if (a.outDir !== undefined && dirs.length === 0) throw new UsageError('--out-dir takes run dirs; for spec files use --out');
    if (a.outDir !== undefined) checkOutputs(a.inputs, outputFiles(a.inputs, a.outDir));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge evaluate: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (a.outDir !== undefined) {
    const inputs = runDirInputs(a.inputs);
    for (const f of outputFiles(a.inputs, a.outDir)) checkOutputPath(f, { inputs, field: '--out-dir' });
  }
  if (a.outDir !== undefined) return await runBatch(a, a.outDir);

  // before any work: --out may not be empty or name one of the files this run reads
  const inputs = isDirectory(a.inputs[0]) ? runDirFiles(a.inputs[0]) : a.inputs;
  if (a.out !== undefined) checkOutputPath(a.out, { inputs });
  const outcome = evaluateTask({ inputs: a.inputs, vars: a.vars, compat: a.compat, disabledFixes: a.disabledFixes, strict: a.strict });
  if (!outcome.ok) {
    console.error(outcome.error);
    return 1;
  }
  for (const w of outcome.warnings) console.error(`warning: ${w}`);
  if (a.out !== undefined) {
    writeFileSafely(a.out, outcome.text, { inputs });
    console.log(`${a.out}: ${outcome.summary}`);
  } else process.stdout.write(outcome.text);
  return 0;
}

const outputFiles = (dirs: string[], outDir: string): string[] => dirs.map((dir) => join(outDir, `${basename(resolve(dir))}.json`));

/** Every file of the run dirs (a run dir whose files cannot be listed fails on its own when evaluated). */
function runDirInputs(dirs: string[]): string[] {
  return dirs.flatMap((dir) => {
    try {
      return runDirFiles(dir);
    } catch {
      return [];
    }
  });
}

/**
 * Checked before anything is evaluated: run dir names are distinct (a usage error), and no output
 * path is (or links to) a file of any run dir (checkOutputPath), so no input is overwritten.
 */
function checkOutputs(dirs: string[], outFiles: string[]): void {
  const seen = new Map<string, string>();
  dirs.forEach((dir, i) => {
    const previous = seen.get(outFiles[i]);
    if (previous !== undefined) throw new UsageError(`run dirs ${previous} and ${dir} would both write ${outFiles[i]}`);
    seen.set(outFiles[i], dir);
  });
}

/** Several run dirs → `<outDir>/<name>.json`, in the order given. */
async function runBatch(a: EvaluateArgs, outDir: string): Promise<number> {
  const outFiles = outputFiles(a.inputs, outDir);
  mkdirSync(outDir, { recursive: true });

  const { runTasks } = await import('../lib/batch/pool.ts');
  const tasks: EvaluateTask[] = a.inputs.map((dir) => ({ inputs: [dir], vars: a.vars, compat: a.compat, disabledFixes: a.disabledFixes, strict: a.strict }));
  const outcomes = await runTasks('evaluate', tasks, a.jobs);
  let failed = 0;
  outcomes.forEach((o, i) => {
    if (!o.ok) {
      failed++;
      console.error(o.error);
      return;
    }
    for (const w of o.warnings) console.error(`warning: ${w} (${a.inputs[i]})`);
    writeFileSafely(outFiles[i], o.text, { inputs: runDirInputs([a.inputs[i]]), field: '--out-dir' });
    console.log(`${outFiles[i]}: ${o.summary}`);
  });
  if (failed > 0) console.error(`sparsegauge evaluate: ${failed} of ${tasks.length} run dirs failed`);
  return failed > 0 ? 1 : 0;
}
