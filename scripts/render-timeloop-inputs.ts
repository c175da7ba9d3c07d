/**
 * `npx tsx scripts/render-timeloop-inputs.ts <suite> <out-dir> [case id]...`: writes, per case of
 * golden/<suite>/cases.yaml (all cases when none is named), the Timeloop input files our spec
 * renders to: `<out-dir>/<case id>/NN-<file>.yaml`, one per spec file of the case (the manifest's
 * `spec:` list, then the case's own), rendered with the case's `vars` exactly as `evaluate` renders
 * them. Timeloop (v0.3 input format) reads such a folder with `timeloop-model <out-dir>/<case>/*.yaml`.
 *
 * This is how a reference from another Timeloop build is produced on our own inputs (README,
 * "Adding an oracle case"); nothing here runs Timeloop, and the out-dir belongs outside the
 * repository.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { renderSourceText } from '../engine/input/source.ts';
import { findManifestFiles, loadManifest } from './lib/report/manifest.ts';

function main(argv: string[]): void {
  const [suiteName, outDir, ...ids] = argv;
  if (!suiteName || !outDir) throw new Error('usage: render-timeloop-inputs.ts <suite> <out-dir> [case id]...');
  const manifest = findManifestFiles().map((f) => loadManifest(f)).find((m) => m.suite === suiteName);
  if (!manifest) throw new Error(`no suite '${suiteName}' (golden/<suite>/cases.yaml)`);
  const unknown = ids.filter((id) => !manifest.cases.some((c) => c.id === id));
  if (unknown.length) throw new Error(`unknown case(s) in suite ${suiteName}: ${unknown.join(', ')}`);
  const cases = ids.length ? manifest.cases.filter((c) => ids.includes(c.id)) : manifest.cases;
  for (const c of cases) {
    const dir = resolve(outDir, c.id);
    mkdirSync(dir, { recursive: true });
    c.spec.forEach((file, i) => {
      const text = renderSourceText(file, readFileSync(file, 'utf8'), c.vars);
      writeFileSync(join(dir, `${String(i).padStart(2, '0')}-${basename(file)}`), text);
    });
  }
  process.stdout.write(`${cases.length} case(s) rendered under ${resolve(outDir)}\n`);
}

main(process.argv.slice(2));
