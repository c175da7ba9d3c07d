/**
 * `sparsegauge diff <expected.json> <actual.json> [--tolerances <file>]`
 * Prints every field of the expected result outside tolerance (`path  expected  actual  ratio`),
 * then exactly `N fields compared, M outside tolerance`; exit 1 when M > 0.
 */
import { join } from 'node:path';
import { SparsegaugeError } from '../../engine/errors.ts';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { compareResults, formatDiscrepancy, loadTolerances, summaryLine } from '../lib/compare/index.ts';
import { REPO_ROOT } from '../lib/stats/golden-cases.ts';
import { readTextFile } from '../lib/stats/import-stats.ts';
import { usageLine } from '../usage.ts';

const USAGE = usageLine('diff');

function readJson(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SparsegaugeError('schema', `not valid JSON: ${(e as Error).message}`, { file: path });
  }
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['tolerances']);
    if (parsed.positionals.length !== 2) throw new UsageError('expected two result files');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge diff: ${e.message}\n${USAGE}`);
    return 2;
  }
  const tolerances = loadTolerances(parsed.options.tolerances ?? join(REPO_ROOT, 'golden', 'tolerances.yaml'));
  const [expectedPath, actualPath] = parsed.positionals;
  const comparison = compareResults(readJson(expectedPath), readJson(actualPath), tolerances);
  for (const d of comparison.outside) console.log(formatDiscrepancy(d));
  console.log(summaryLine(comparison));
  return comparison.outside.length > 0 ? 1 : 0;
}
