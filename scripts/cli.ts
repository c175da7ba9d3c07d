/**
 * `sparsegauge <command> ...`: dispatches to one module per command. Each command module exports
 * `run(args): Promise<number>` (the exit code). User errors (`SparsegaugeError`) are printed on one
 * line, never as a stack trace.
 */
import { formatError, isSparsegaugeError } from '../engine/errors.ts';
import { type CommandName, helpText } from './usage.ts';

type CommandModule = { run(args: string[]): Promise<number> };

const COMMANDS: Record<CommandName, () => Promise<CommandModule>> = {
  import: () => import('./commands/import.ts'),
  diff: () => import('./commands/diff.ts'),
  evaluate: () => import('./commands/evaluate.ts'),
  'import-golden': () => import('./commands/import-golden.ts'),
  validate: () => import('./commands/validate.ts'),
  bench: () => import('./commands/bench.ts'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText());
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!command) {
    console.error(`sparsegauge: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  try {
    const mod = await command();
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
