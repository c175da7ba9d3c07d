/**
 * `sparsegauge import <stats.txt> [--xml <map+stats.xml>] [--out file.json] [--compat <mode>]`
 * Parses a Timeloop/Sparseloop stats file into the result schema; stdout unless --out.
 */
import { COMPAT_MODE_NAMES, DEFAULT_COMPAT_MODE, isCompatMode } from '../../engine/compat-modes.ts';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { importStats, toJsonText } from '../lib/stats/index.ts';
import { checkOutputPath, writeFileSafely } from '../lib/safe-write.ts';
import { withFile } from '../../engine/errors.ts';
import type { CompatMode } from '../../engine/result/schema.ts';

const USAGE = `usage: sparsegauge import <stats.txt> [--xml <map+stats.xml>] [--out file.json] [--compat ${COMPAT_MODE_NAMES.join('|')}]`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['xml', 'out', 'compat']);
    if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one stats file');
    const compat = parsed.options.compat ?? DEFAULT_COMPAT_MODE;
    if (!isCompatMode(compat)) throw new UsageError(`--compat must be ${COMPAT_MODE_NAMES.join(' or ')}, not '${compat}'`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge import: ${e.message}\n${USAGE}`);
    return 2;
  }
  const inputs = [parsed.positionals[0], ...(parsed.options.xml !== undefined ? [parsed.options.xml] : [])];
  if (parsed.options.out !== undefined) checkOutputPath(parsed.options.out, { inputs });
  const result = importStats({
    statsPath: parsed.positionals[0],
    xmlPath: parsed.options.xml,
    compat: (parsed.options.compat ?? DEFAULT_COMPAT_MODE) as CompatMode,
  });
  let text: string;
  try {
    text = toJsonText(result);
  } catch (e) {
    throw withFile(e, parsed.positionals[0]); // a value the stats file printed
  }
  if (parsed.options.out !== undefined) writeFileSafely(parsed.options.out, text, { inputs });
  else process.stdout.write(text);
  return 0;
}
