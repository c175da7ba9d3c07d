/**
 * `sparsegauge import-golden [--check] [--manifest golden/<suite>/cases.yaml]...`
 * Imports every case of a manifest from its reference outputs into golden/<suite>/. Without
 * --manifest, every suite (every golden/<suite>/cases.yaml); a suite whose reference root is not
 * there (table7's shared artifact beside the clone, e.g. in CI) is reported as skipped, and it is an
 * error only when no suite could be imported. A suite named with --manifest must be importable.
 * With --check, nothing is written: exits 1 when a committed file differs from a fresh import.
 * Writing is all or nothing over every suite of the call (scripts/lib/stats/golden-switch.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { findManifestFiles } from '../lib/report/manifest.ts';
import { buildGoldenFiles, suiteDir } from '../lib/stats/golden.ts';
import { loadImportManifest } from '../lib/stats/golden-cases.ts';
import { recoverStaging, replaceGoldenFiles, type SuiteFiles } from '../lib/stats/golden-switch.ts';

const USAGE = 'usage: sparsegauge import-golden [--check] [--manifest <cases.yaml>]...';

export async function run(args: string[]): Promise<number> {
  let manifests: string[];
  let explicit: boolean;
  let check: boolean;
  try {
    // --manifest may be repeated: the named suites are imported together, all or nothing
    const named: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--manifest') {
        if (args[i + 1] === undefined || args[i + 1] === '') throw new UsageError('option --manifest needs a path');
        named.push(resolve(args[++i]!));
      } else rest.push(args[i]!);
    }
    const parsed = parseArgs(rest, [], ['check']);
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    explicit = named.length > 0;
    manifests = explicit ? named : findManifestFiles();
    check = parsed.flags.has('check');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge import-golden: ${e.message}\n${USAGE}`);
    return 2;
  }
  let failed = false;
  // Build every suite before writing anything: a failing case or suite leaves all golden files as they were.
  const built: SuiteFiles[] = [];
  for (const manifest of manifests) {
    const { suite, referenceRoot } = loadImportManifest(manifest);
    if (!explicit && !existsSync(referenceRoot)) {
      console.error(`${suite}: skipped, reference root ${relative(process.cwd(), referenceRoot) || '.'} not found`);
      continue;
    }
    built.push({ suite, dir: suiteDir(manifest), files: buildGoldenFiles(manifest) });
  }
  if (built.length === 0) {
    console.error('sparsegauge import-golden: no suite has its reference outputs here, nothing imported');
    return 1;
  }
  if (check) {
    for (const { suite, dir, files } of built) {
      const shown = (name: string) => relative(process.cwd(), join(dir, name)) || name;
      const differing = [...files].filter(([name, text]) => {
        const path = join(dir, name);
        return !existsSync(path) || readFileSync(path, 'utf8') !== text;
      });
      for (const [name] of differing) console.error(`differs from a fresh import: ${shown(name)}`);
      console.log(`${suite}: ${files.size} golden files checked, ${differing.length} differ`);
      failed ||= differing.length > 0;
    }
    return failed ? 1 : 0;
  }
  // One switch per folder holding suites (golden/ for every committed suite).
  for (const root of new Set(built.map((b) => dirname(b.dir)))) {
    for (const line of recoverStaging(root)) console.error(`${relative(process.cwd(), root) || '.'}: ${line}`);
    replaceGoldenFiles(root, built.filter((b) => dirname(b.dir) === root));
  }
  for (const { suite, dir, files } of built) console.log(`${suite}: wrote ${files.size} golden files to ${relative(process.cwd(), dir) || '.'}`);
  return 0;
}
