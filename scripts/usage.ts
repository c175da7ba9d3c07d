/**
 * Every command's synopsis and summary, in one place: `sparsegauge --help` prints them all, and a
 * command prints its own line on a usage error. A flag a command accepts must be listed here
 * (suites/cli-usage.test.ts checks that every flag a command parses appears in its line).
 */
import { COMPAT_MODE_NAMES } from '../engine/compat-modes.ts';

const COMPAT = COMPAT_MODE_NAMES.join('|');

export const COMMAND_USAGE = {
  evaluate: {
    synopsis: [
      `evaluate <run-dir | spec files...> [--var key=value]... [--compat ${COMPAT}] [--disable-fix <id>]... [--strict] [--out result.json]`,
      `evaluate <run-dir>... --out-dir <dir> [--jobs N] [--var key=value]... [--compat ${COMPAT}] [--disable-fix <id>]... [--strict]`,
    ],
    summary: 'run the model on a Timeloop run dir or spec files; with --out-dir, on many run dirs over worker threads',
  },
  import: {
    synopsis: `import <stats.txt> [--xml <map+stats.xml>] [--out file.json] [--compat ${COMPAT}]`,
    summary: 'parse a Timeloop/Sparseloop stats file into the result schema',
  },
  diff: {
    synopsis: 'diff <expected.json> <actual.json> [--tolerances <file>]',
    summary: 'compare two result files field by field',
  },
  'import-golden': {
    synopsis: 'import-golden [--check] [--manifest <cases.yaml>]...',
    summary: '(re)build golden/<suite>/ from the reference outputs',
  },
  validate: {
    synopsis: 'validate [--reports <dir>] [--jobs N]',
    summary: 'evaluate every golden case, write reports/',
  },
  bench: {
    synopsis: 'bench [--time <ms per task, default 500>] [--runs <whole-process runs per case, default 10; 0: none>] [--timeloop <timeloop-model>] [--out <file, default reports/bench.md>]',
    summary: 'engine and whole-process timings, write reports/bench.md',
  },
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

/** A command's synopses (one per form of the command). */
export function synopses(command: CommandName): readonly string[] {
  const s: string | readonly string[] = COMMAND_USAGE[command].synopsis;
  return typeof s === 'string' ? [s] : s;
}

/** `usage: sparsegauge <synopsis>` of one command, one line per form. */
export function usageLine(command: CommandName): string {
  return synopses(command)
    .map((s, i) => `${i === 0 ? 'usage:' : '      '} sparsegauge ${s}`)
    .join('\n');
}

/** The whole help text: every command with all its flags. */
export function helpText(): string {
  const lines = ['usage: sparsegauge <command> [args]', ''];
  for (const name of Object.keys(COMMAND_USAGE) as CommandName[]) {
    for (const s of synopses(name)) lines.push(`  sparsegauge ${s}`);
    lines.push(`      ${COMMAND_USAGE[name].summary}`);
  }
  return lines.join('\n');
}
