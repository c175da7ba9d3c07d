/**
 * `timeloop-model.stats.txt` -> Result. Detects the layout (Sparseloop's, or the older dense
 * Timeloop one) from the arithmetic level's first STATS line, then reads every section strictly.
 */
import { LineCursor } from './cursor.ts';
import { parseArithmetic, parseStorageLevel } from './parse-levels.ts';
import { parseNetworks, parseOperationalIntensity, parseSummary } from './parse-tail.ts';
import {
  RESULT_SCHEMA,
  RESULT_SCHEMA_VERSION,
  type CompatMode,
  type Result,
  type StatsFormat,
  type StorageLevel,
} from '../../../engine/result/schema.ts';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { detectRevision } from './layout-v3.ts';

/** The number of the `Level N` line ahead, at least `from`. */
function nextLevelNumber(c: LineCursor, from: number): number {
  const m = /^Level (\d+)$/.exec(c.peek()!.trim());
  if (!m || Number(m[1]) < from) c.fail('Level', `expected 'Level N' with N >= ${from}, found '${c.peek()!.trim()}'`);
  return Number(m![1]);
}

/** The Sparseloop layout qualifies the arithmetic level's utilized instances with `(max)`. */
export function detectStatsFormat(text: string, file: string): StatsFormat {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('Utilized instances')) {
      return /^Utilized instances \(max\)\s*:/.test(t) ? 'sparseloop' : 'timeloop-dense';
    }
    if (t.startsWith('Level 1')) break;
  }
  throw new SparsegaugeError('stats-parse', 'cannot tell the stats layout: no arithmetic-level "Utilized instances" line before "Level 1"', {
    file,
    position: { line: 1, column: 1 },
    field: 'Utilized instances',
  });
}

export interface ParseOptions {
  compat: CompatMode;
  sources?: string[];
}

export function parseStatsText(text: string, file: string, options: ParseOptions): Result {
  const format = detectStatsFormat(text, file);
  const revision = detectRevision(text);
  const c = new LineCursor(text, file);
  c.expectLine('Buffer and Arithmetic Levels');
  c.expectLine('----------------------------', 'section underline');
  const arithmetic = parseArithmetic(c, format);
  const storage: Record<string, StorageLevel> = {};
  for (let i = 1; c.nextStartsWith('Level '); i++) {
    // v3 leaves out levels without accesses or energy unless told not to; their numbers stay unused.
    if (revision === 'timeloop-v3') i = nextLevelNumber(c, i);
    const level = parseStorageLevel(c, format, i, revision);
    if (level.name in storage) c.fail('level name', `level '${level.name}' printed twice`);
    storage[level.name] = level;
  }
  if (Object.keys(storage).length === 0) c.fail('Level 1', "expected at least one storage level ('Level 1')");
  const networks = parseNetworks(c, revision);
  const operationalIntensity = parseOperationalIntensity(c);
  const summary = parseSummary(c, format, revision);
  const meta: Result['meta'] = { producer: 'sparseloop-stats', statsFormat: format, compat: options.compat };
  if (revision === 'timeloop-v3') meta.statsRevision = revision;
  if (options.sources) meta.sources = options.sources;
  return { schema: RESULT_SCHEMA, version: RESULT_SCHEMA_VERSION, meta, arithmetic, storage, networks, operationalIntensity, summary };
}
