/**
 * `sparsegauge evaluate <run-dir | spec files...> [--var k=v]... [--compat <mode>]
 *                       [--disable-fix <id>]... [--strict] [--out result.json]`
 * Loads a Timeloop run dir (aggregated_input.yaml or spec YAMLs, ERT.yaml, ART.yaml) or explicit
 * spec files, evaluates it and writes the result JSON (the schema of `import`) to --out, or to
 * stdout. With --out, a short human summary goes to stdout instead. --strict refuses every key the
 * model does not read (default: a warning on stderr and in meta.warnings).
 */
import { COMPAT_MODE_NAMES, DEFAULT_COMPAT_MODE } from '../../engine/compat-modes.ts';
import { statSync } from 'node:fs';
import { evaluate } from '../../engine/index.ts';
import { loadRunDir, loadSpecFiles, runDirFiles } from '../../engine/spec/load.ts';
import { FIX_IDS, type FixId } from '../../engine/options.ts';
import type { CompatMode, Result } from '../../engine/result/schema.ts';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { toJsonText } from '../lib/stats/write-json.ts';
import { checkOutputPath, writeFileSafely } from '../lib/safe-write.ts';

const USAGE =
  `usage: sparsegauge evaluate <run-dir | spec files...> [--var key=value]... [--compat ${COMPAT_MODE_NAMES.join('|')}] [--disable-fix <id>]... [--strict] [--out result.json]`;
const COMPAT: readonly CompatMode[] = COMPAT_MODE_NAMES;

interface EvaluateArgs {
  inputs: string[];
  vars: Record<string, string>;
  compat: CompatMode;
  disabledFixes: FixId[];
  strict: boolean;
  out?: string;
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
  const parsed = parseArgs(fixes.rest, ['compat', 'out'], ['strict']);
  if (parsed.positionals.length === 0) throw new UsageError('expected a run dir or spec files');
  const compat = (parsed.options.compat ?? DEFAULT_COMPAT_MODE) as CompatMode;
  if (!COMPAT.includes(compat)) throw new UsageError(`unknown --compat '${parsed.options.compat}' (expected ${COMPAT.join(' or ')})`);
  const varMap: Record<string, string> = {};
  for (const kv of vars.values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(kv);
    if (!m) throw new UsageError(`--var expects key=value, got '${kv}'`);
    varMap[m[1]] = m[2];
  }
  for (const f of fixes.values) {
    if (!(FIX_IDS as readonly string[]).includes(f)) throw new UsageError(`unknown fix '${f}' (known: ${FIX_IDS.join(', ')})`);
  }
  return { inputs: parsed.positionals, vars: varMap, compat, disabledFixes: fixes.values as FixId[], strict: parsed.flags.has('strict'), out: parsed.options.out };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function humanSummary(r: Result): string {
  const s = r.summary;
  return [
    `cycles ${s.cycles}`,
    `energy ${s.energy.toFixed(2)} uJ`,
    `actual computes ${r.arithmetic.stats.actualComputes}`,
    `utilization ${s.utilization.toFixed(2)}`,
    `compat ${r.meta.compat}`,
  ].join(', ');
}

export async function run(args: string[]): Promise<number> {
  let a: EvaluateArgs;
  try {
    a = parseEvaluateArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge evaluate: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (a.inputs.length > 1 && a.inputs.some(isDirectory)) {
    console.error(`sparsegauge evaluate: give one run dir or a list of spec files, not both\n${USAGE}`);
    return 2;
  }
  const load = { vars: a.vars, strict: a.strict };
  const runDir = isDirectory(a.inputs[0]);
  // before any work: --out may not be empty or name one of the files this run reads
  if (a.out !== undefined) checkOutputPath(a.out, { inputs: runDir ? runDirFiles(a.inputs[0]) : a.inputs });
  const spec = runDir ? loadRunDir(a.inputs[0], load) : loadSpecFiles(a.inputs, load);
  const result = evaluate(spec, { compat: a.compat, disabledFixes: a.disabledFixes });
  for (const w of result.meta.warnings ?? []) console.error(`warning: ${w}`);
  const text = toJsonText(result);
  if (a.out !== undefined) {
    writeFileSafely(a.out, text, { inputs: runDir ? runDirFiles(a.inputs[0]) : a.inputs });
    console.log(`${a.out}: ${humanSummary(result)}`);
  } else process.stdout.write(text);
  return 0;
}
