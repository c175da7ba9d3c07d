/**
 * Building a suite's golden files in memory: every case of the manifest imported from its
 * reference run (stats + XML) into `<case id>.json`, plus `summary.csv`. Returns file texts keyed
 * by path relative to the suite folder, so writing and `--check` share one code path.
 */
import { dirname, join, relative } from 'node:path';
import { withFile } from '../../../engine/errors.ts';
import { importStats } from './import-stats.ts';
import { loadImportManifest, REPO_ROOT } from './golden-cases.ts';
import { summaryCsv } from './summary-csv.ts';
import { toJsonText } from './write-json.ts';

export function buildGoldenFiles(manifestFile: string, root: string = REPO_ROOT): Map<string, string> {
  const manifest = loadImportManifest(manifestFile, root);
  const files = new Map<string, string>();
  // The manifest's own reference, then each mode reference into its golden folder.
  const groups = [{ referenceRoot: manifest.referenceRoot, goldenDir: '', compat: null }, ...manifest.modeReferences];
  for (const group of groups) {
    const rows = manifest.cases.map((c) => {
      const dir = join(group.referenceRoot, c.reference);
      const statsPath = join(dir, manifest.referenceStats);
      const xmlPath = join(dir, manifest.referenceXml);
      const result = importStats({
        statsPath,
        xmlPath,
        compat: group.compat ?? c.compat,
        // Relative to the reference root, so the golden files do not depend on where the clone lives.
        sources: [statsPath, xmlPath].map((p) => relative(group.referenceRoot, p)),
        displayName: (p) => relative(root, p),
      });
      let text: string;
      try {
        text = toJsonText(result);
      } catch (e) {
        throw withFile(e, relative(root, statsPath)); // a value the stats file printed
      }
      files.set(join(group.goldenDir, `${c.id}.json`), text);
      return { id: c.id, layer: c.layer, kind: c.kind, result };
    });
    files.set(join(group.goldenDir, 'summary.csv'), summaryCsv(rows));
  }
  return files;
}

export function suiteDir(manifestFile: string): string {
  return dirname(manifestFile);
}
