/**
 * `sparsegauge diff <expected.json> <actual.json> [--tolerances <file>]`
 * Prints every field of the expected result outside tolerance (`path  expected  actual  ratio`),
 * then exactly `N fields compared, M outside tolerance`; exit 1 when M > 0.
 */
import { join } from 'node:path';
import { SparsegaugeError } from '../../engine/errors.ts';
import { RESULT_SCHEMA, RESULT_SCHEMA_VERSION } from '../../engine/result/schema.ts';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { compareResults, flatten, formatDiscrepancy, loadTolerances, summaryLine } from '../lib/compare/index.ts';
import { REPO_ROOT } from '../lib/stats/golden-cases.ts';
import { readTextFile } from '../lib/stats/import-stats.ts';

const USAGE = 'usage: sparsegauge diff <expected.json> <actual.json> [--tolerances <file>]';

/** A sparsegauge result file: valid JSON with our schema name and version, else a `schema` error. */
function readResult(path: string): unknown {
  const text = readTextFile(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SparsegaugeError('schema', `not valid JSON: ${(e as Error).message}`, { file: path });
  }
  const r = value as { schema?: unknown; version?: unknown } | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || r.schema !== RESULT_SCHEMA) {
    throw new SparsegaugeError('schema', `not a sparsegauge result (expected "schema": "${RESULT_SCHEMA}")`, { file: path, field: 'schema' });
  }
  if (r.version !== RESULT_SCHEMA_VERSION) {
    throw new SparsegaugeError('schema', `result schema version ${JSON.stringify(r.version)}, this sparsegauge reads version ${RESULT_SCHEMA_VERSION}`, { file: path, field: 'version' });
  }
  return value;
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
  const expected = readResult(expectedPath);
  // an expected file with nothing but its schema name and version would pass vacuously
  const IDENTITY = new Set(['schema', 'version']);
  if (!flatten(expected).some(([path]) => !IDENTITY.has(path) && path !== 'meta' && !path.startsWith('meta.'))) {
    throw new SparsegaugeError('schema', 'the expected result has no fields to compare', { file: expectedPath });
  }
  const comparison = compareResults(expected, readResult(actualPath), tolerances);
  for (const d of comparison.outside) console.log(formatDiscrepancy(d));
  console.log(summaryLine(comparison));
  return comparison.outside.length > 0 ? 1 : 0;
}
