/**
 * `sparsegauge import-golden [--check] [--manifest golden/<suite>/cases.yaml]`
 * Imports every case of a manifest from its reference outputs into golden/<suite>/. Without
 * --manifest, every suite (every golden/<suite>/cases.yaml); a suite whose reference root is not
 * there (table7's shared artifact beside the clone, e.g. in CI) is reported as skipped, and it is an
 * error only when no suite could be imported. A suite named with --manifest must be importable.
 * With --check, nothing is written: exits 1 when a committed file differs from a fresh import.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { findManifestFiles } from '../lib/report/manifest.ts';
import { buildGoldenFiles, suiteDir } from '../lib/stats/golden.ts';
import { loadImportManifest } from '../lib/stats/golden-cases.ts';
import { writeFileAtomic } from '../lib/stats/write-json.ts';

const USAGE = 'usage: sparsegauge import-golden [--check] [--manifest <cases.yaml>]';

export async function run(args: string[]): Promise<number> {
  let manifests: string[];
  let explicit: boolean;
  let check: boolean;
  try {
    const parsed = parseArgs(args, ['manifest'], ['check']);
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    explicit = parsed.options.manifest !== undefined;
    manifests = explicit ? [resolve(parsed.options.manifest!)] : findManifestFiles();
    check = parsed.flags.has('check');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge import-golden: ${e.message}\n${USAGE}`);
    return 2;
  }
  let failed = false;
  let imported = 0;
  for (const manifest of manifests) {
    const { suite, referenceRoot } = loadImportManifest(manifest);
    if (!explicit && !existsSync(referenceRoot)) {
      console.error(`${suite}: skipped, reference root ${relative(process.cwd(), referenceRoot) || '.'} not found`);
      continue;
    }
    // Build everything before writing anything: a failing case leaves the committed files untouched.
    const files = buildGoldenFiles(manifest);
    imported++;
    const dir = suiteDir(manifest);
    const shown = (name: string) => relative(process.cwd(), join(dir, name)) || name;
    if (check) {
      const differing = [...files].filter(([name, text]) => {
        const path = join(dir, name);
        return !existsSync(path) || readFileSync(path, 'utf8') !== text;
      });
      for (const [name] of differing) console.error(`differs from a fresh import: ${shown(name)}`);
      console.log(`${suite}: ${files.size} golden files checked, ${differing.length} differ`);
      failed ||= differing.length > 0;
      continue;
    }
    for (const [name, text] of files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileAtomic(join(dir, name), text);
    }
    console.log(`${suite}: wrote ${files.size} golden files to ${relative(process.cwd(), dir) || '.'}`);
  }
  if (imported === 0) {
    console.error('sparsegauge import-golden: no suite has its reference outputs here, nothing imported');
    return 1;
  }
  return failed ? 1 : 0;
}
