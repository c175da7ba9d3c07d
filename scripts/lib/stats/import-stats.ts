/**
 * One stats import: read the stats file (and optionally its map+stats.xml), parse, overlay the
 * full-precision XML values. File-level concerns (reading, naming) live here; parsing is pure.
 */
import { readFileSync } from 'node:fs';
import { SparsegaugeError } from '../../../engine/errors.ts';
import type { CompatMode, Result } from '../../../engine/result/schema.ts';
import { applyXml } from './apply-xml.ts';
import { closeV3Archive } from './layout-v3.ts';
import { parseStatsText } from './parse-stats.ts';
import { parseXml, XmlView } from './xml-tree.ts';

export interface ImportRequest {
  statsPath: string;
  xmlPath?: string;
  compat: CompatMode;
  /** Recorded in meta.sources (informational); defaults to the paths as given. */
  sources?: string[];
  /** How files are named in error messages; defaults to the paths as given. */
  displayName?: (path: string) => string;
}

export function readTextFile(path: string, shownAs = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SparsegaugeError('io', `cannot read file (${code})`, { file: shownAs });
  }
}

export function importStats(req: ImportRequest): Result {
  const show = req.displayName ?? ((p: string) => p);
  const sources = req.sources ?? [req.statsPath, ...(req.xmlPath ? [req.xmlPath] : [])];
  const parsed = parseStatsText(readTextFile(req.statsPath, show(req.statsPath)), show(req.statsPath), { compat: req.compat, sources });
  if (!req.xmlPath) return parsed;
  const xmlFile = show(req.xmlPath);
  const xmlText = readTextFile(req.xmlPath, xmlFile);
  const xml = parsed.meta.statsRevision === 'timeloop-v3' ? closeV3Archive(xmlText) : xmlText;
  return applyXml(parsed, new XmlView(xmlFile, parseXml(xml, xmlFile), ''));
}
