/**
 * Minimal command-line parsing for the import/diff commands: positionals plus `--name value`
 * options from a fixed set (and boolean flags). Unknown options are usage errors, never ignored.
 */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string>;
  flags: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(args: string[], valued: string[], booleans: string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (booleans.includes(name) && inline === undefined) {
      out.flags.add(name);
    } else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      out.options[name] = value;
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return out;
}
