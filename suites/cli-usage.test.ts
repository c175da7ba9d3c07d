/**
 * The usage text (scripts/usage.ts) is the one place that lists every command's flags: each flag a
 * command parses (read from its source: the option lists it gives parseArgs, the repeated options
 * it takes, the `--flag` literals it compares) must appear in its synopsis, and in the README's
 * command table row of that command.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMMAND_USAGE, type CommandName, helpText, synopses } from '../scripts/usage.ts';

const ROOT = resolve(import.meta.dirname, '..');
const COMMANDS = Object.keys(COMMAND_USAGE) as CommandName[];

/** Flags a command module parses, from its source text. */
function parsedFlags(source: string): string[] {
  const flags = new Set<string>();
  const names = (list: string | undefined) => (list ?? '').match(/'[^']+'/g)?.map((q) => q.slice(1, -1)) ?? [];
  for (const m of source.matchAll(/parseArgs\([^,()]+,\s*\[([^\]]*)\](?:,\s*\[([^\]]*)\])?/g)) {
    for (const n of [...names(m[1]), ...names(m[2])]) flags.add(n);
  }
  for (const m of source.matchAll(/takeRepeated\([^,()]+,\s*'([^']+)'\)/g)) flags.add(m[1]);
  for (const m of source.matchAll(/'--([a-z][a-z-]*)'/g)) flags.add(m[1]);
  return [...flags].sort();
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README command-table rows of a command (one per form), joined. */
const readmeRow = (command: CommandName): string =>
  readme
    .split('\n')
    .filter((l) => l.startsWith(`| \`sparsegauge ${command} `) || l.startsWith(`| \`sparsegauge ${command}\``))
    .join('\n');

describe('every flag a command parses is in its usage line and its README rows', () => {
  test.each(COMMANDS)('%s', (command) => {
    const flags = parsedFlags(readFileSync(join(ROOT, 'scripts', 'commands', `${command}.ts`), 'utf8'));
    const synopsis = synopses(command).join('\n');
    const row = readmeRow(command);
    expect(row, `README has a command-table row for ${command}`).not.toBe('');
    expect(flags.filter((f) => !new RegExp(`--${f}\\b`).test(synopsis))).toEqual([]);
    expect(flags.filter((f) => !new RegExp(`--${f}\\b`).test(row))).toEqual([]);
  });

  test('the scan finds the flags it is meant to find (so a missing flag is caught)', () => {
    expect(parsedFlags("parseArgs(x, ['compat', 'out'], ['strict']); takeRepeated(a, 'var'); if (f === '--time')")).toEqual(['compat', 'out', 'strict', 'time', 'var']);
    expect(parsedFlags(readFileSync(join(ROOT, 'scripts', 'commands', 'evaluate.ts'), 'utf8'))).toEqual(expect.arrayContaining(['compat', 'disable-fix', 'out', 'var']));
  });

  test('--help lists every command with its synopsis', () => {
    for (const command of COMMANDS) for (const s of synopses(command)) expect(helpText()).toContain(`sparsegauge ${s}`);
  });
});
