/**
 * Building a suite's golden files in memory: every case of the manifest imported from its
 * reference run (stats + XML) into `<case id>.json`, plus `summary.csv`. Returns file texts keyed
 * by path relative to the suite folder, so writing and `--check` share one code path.
 */
import { dirname, join, relative } from 'node:path';
import { importStats } from './import-stats.ts';
import { loadImportManifest, REPO_ROOT } from './golden-cases.ts';
import { summaryCsv } from './summary-csv.ts';
import { toJsonText } from './write-json.ts';

export function buildGoldenFiles(manifestFile: string, root: string = REPO_ROOT): Map<string, string> {
  const manifest = loadImportManifest(manifestFile, root);
  const files = new Map<string, string>();
  const rows = manifest.cases.map((c) => {
    const dir = join(manifest.referenceRoot, c.reference);
    const statsPath = join(dir, manifest.referenceStats);
    const xmlPath = join(dir, manifest.referenceXml);
    const result = importStats({
      statsPath,
      xmlPath,
      compat: c.compat,
      // Relative to reference_root, so the golden files do not depend on where the clone lives.
      sources: [statsPath, xmlPath].map((p) => relative(manifest.referenceRoot, p)),
      displayName: (p) => relative(root, p),
    });
    files.set(`${c.id}.json`, toJsonText(result));
    return { id: c.id, layer: c.layer, kind: c.kind, result };
  });
  files.set('summary.csv', summaryCsv(rows));
  return files;
}

export function suiteDir(manifestFile: string): string {
  return dirname(manifestFile);
}
