/**
 * `timeloop-model.stats.txt` -> Result. Detects the layout (layouts.ts: public Timeloop's sparse
 * and dense ones, and those of earlier builds), then reads every section strictly as it prints them.
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

/** The schema flavour of a stats text (kept for callers that only need that). */
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
  const c = new LineCursor(text, file);
  c.expectLine('Buffer and Arithmetic Levels');
  c.expectLine('----------------------------', 'section underline');
  const arithmetic = parseArithmetic(c, layout);
  const storage: Record<string, StorageLevel> = {};
  for (let i = 1; c.nextStartsWith('Level '); i++) {
    const level = parseStorageLevel(c, layout, i);
    if (level.name in storage) c.fail('level name', `level '${level.name}' printed twice`);
    storage[level.name] = level;
  }
  if (Object.keys(storage).length === 0) c.fail('Level 1', "expected at least one storage level ('Level 1')");
  const networks = parseNetworks(c, layout);
  const operationalIntensity = layout.operationalIntensity ? { operationalIntensity: parseOperationalIntensity(c) } : {};
  const summary = parseSummary(c, layout);
  const meta: Result['meta'] = { producer: 'sparseloop-stats', statsFormat: format, compat: options.compat };
  // Named only when it is not the layout public Timeloop @ 0424956 prints for this format.
  if (layout.id !== format) meta.statsLayout = layout.id;
  if (options.sources) meta.sources = options.sources;
  return { schema: RESULT_SCHEMA, version: RESULT_SCHEMA_VERSION, meta, arithmetic, storage, networks, ...operationalIntensity, summary };
}
