/**
 * `timeloop-model.stats.txt` -> Result. Detects the layout (layouts.ts: public Timeloop's sparse
 * and dense ones, those of earlier builds and Timeloop v3's), then reads every section strictly as
 * that layout prints it.
 */
import { LineCursor } from './cursor.ts';
import { detectLayout } from './layouts.ts';
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

/** The number of the `Level N` line ahead, at least `from`. */
function nextLevelNumber(c: LineCursor, from: number): number {
  const m = /^Level (\d+)$/.exec(c.peek()!.trim());
  if (!m || Number(m[1]) < from) c.fail('Level', `expected 'Level N' with N >= ${from}, found '${c.peek()!.trim()}'`);
  return Number(m![1]);
}

/** The schema flavour of a stats text (for callers that need only that). */
export function detectStatsFormat(text: string, file: string): StatsFormat {
  return detectLayout(text, file).format;
}

export interface ParseOptions {
  compat: CompatMode;
  sources?: string[];
}

export function parseStatsText(text: string, file: string, options: ParseOptions): Result {
  const layout = detectLayout(text, file);
  const format = layout.format;
  const v3 = layout.energySourceAndLeakage;
  const c = new LineCursor(text, file);
  c.expectLine('Buffer and Arithmetic Levels');
  c.expectLine('----------------------------', 'section underline');
  const arithmetic = parseArithmetic(c, layout);
  const storage: Record<string, StorageLevel> = {};
  for (let i = 1; c.nextStartsWith('Level '); i++) {
    // v3 leaves out levels without accesses or energy unless told not to; their numbers stay unused.
    if (v3) i = nextLevelNumber(c, i);
    const level = parseStorageLevel(c, layout, i);
    if (level.name in storage) c.fail('level name', `level '${level.name}' printed twice`);
    storage[level.name] = level;
  }
  if (Object.keys(storage).length === 0) c.fail('Level 1', "expected at least one storage level ('Level 1')");
  const networks = parseNetworks(c, layout);
  const operationalIntensity = layout.operationalIntensity ? { operationalIntensity: parseOperationalIntensity(c) } : {};
  const summary = parseSummary(c, layout);
  const meta: Result['meta'] = { producer: 'sparseloop-stats', statsFormat: format, compat: options.compat };
  if (v3) meta.statsRevision = 'timeloop-v3';
  // Named only when it is not the layout public Timeloop @ 0424956 prints for this format.
  if (layout.id !== format) meta.statsLayout = layout.id;
  if (options.sources) meta.sources = options.sources;
  return { schema: RESULT_SCHEMA, version: RESULT_SCHEMA_VERSION, meta, arithmetic, storage, networks, ...operationalIntensity, summary };
}
