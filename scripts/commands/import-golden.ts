/**
 * `sparsegauge import-golden [--check] [--manifest golden/table7/cases.yaml]`
 * Imports every case of the manifest from the shared reference outputs into golden/<suite>/.
 * With --check, nothing is written: exits 1 when a committed file differs from a fresh import.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs, UsageError } from '../lib/compare/args.ts';
import { buildGoldenFiles, suiteDir } from '../lib/stats/golden.ts';
import { REPO_ROOT } from '../lib/stats/golden-cases.ts';
import { writeFileAtomic } from '../lib/stats/write-json.ts';

const USAGE = 'usage: sparsegauge import-golden [--check] [--manifest <cases.yaml>]';

export async function run(args: string[]): Promise<number> {
  let manifest: string;
  let check: boolean;
  try {
    const parsed = parseArgs(args, ['manifest'], ['check']);
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    manifest = resolve(parsed.options.manifest ?? join(REPO_ROOT, 'golden', 'table7', 'cases.yaml'));
    check = parsed.flags.has('check');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`sparsegauge import-golden: ${e.message}\n${USAGE}`);
    return 2;
  }
  // Build everything before writing anything: a failing case leaves the committed files untouched.
  const files = buildGoldenFiles(manifest);
  const dir = suiteDir(manifest);
  const shown = (name: string) => relative(process.cwd(), join(dir, name)) || name;
  if (check) {
    const differing = [...files].filter(([name, text]) => {
      const path = join(dir, name);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    });
    for (const [name] of differing) console.error(`differs from a fresh import: ${shown(name)}`);
    console.log(`${files.size} golden files checked, ${differing.length} differ`);
    return differing.length > 0 ? 1 : 0;
  }
  for (const [name, text] of files) writeFileAtomic(join(dir, name), text);
  console.log(`wrote ${files.size} golden files to ${relative(process.cwd(), dir) || '.'}`);
  return 0;
}
