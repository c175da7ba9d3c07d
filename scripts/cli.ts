/**
 * `sparsegauge <command> ...`: dispatches to one module per command. Each command module exports
 * `run(args): Promise<number>` (the exit code). User errors (`SparsegaugeError`) are printed on one
 * line, never as a stack trace.
 */
import { COMPAT_MODE_NAMES } from '../engine/compat-modes.ts';
import { formatError, isSparsegaugeError } from '../engine/errors.ts';

type CommandModule = { run(args: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  import: {
    summary: 'import <stats.txt> [--xml <map+stats.xml>] [--out file.json]   parse a Timeloop/Sparseloop stats file',
    load: () => import('./commands/import.ts'),
  },
  diff: {
    summary: 'diff <expected.json> <actual.json> [--tolerances <file>]         compare two result files',
    load: () => import('./commands/diff.ts'),
  },
  evaluate: {
    summary:
      `evaluate <run-dir | spec files...> [--var k=v]... [--compat ${COMPAT_MODE_NAMES.join('|')}] [--disable-fix <id>]... [--strict] [--out result.json]\n` +
      '  sparsegauge evaluate <run-dir>... --out-dir <dir> [--jobs N] [same options]   evaluate many run dirs over worker threads',
    load: () => import('./commands/evaluate.ts'),
  },
  'import-golden': {
    summary: 'import-golden [--check] [--manifest <cases.yaml>]               (re)build golden/<suite>/ from the reference outputs',
    load: () => import('./commands/import-golden.ts'),
  },
  validate: {
    summary: 'validate [--reports <dir>] [--jobs N]                           evaluate every golden case, write reports/',
    load: () => import('./commands/validate.ts'),
  },
  bench: {
    summary: 'bench                                                           tinybench timings, writes reports/bench.md',
    load: () => import('./commands/bench.ts'),
  },
};

function usage(): string {
  return ['usage: sparsegauge <command> [args]', '', ...Object.values(COMMANDS).map((c) => `  sparsegauge ${c.summary}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`sparsegauge: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(args);
  } catch (e) {
    if (isSparsegaugeError(e)) {
      // The line starts with file:line:col, as compilers print it, so editors can jump to it.
      console.error(formatError(e));
      return 1;
    }
    throw e;
  }
}
