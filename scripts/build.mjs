#!/usr/bin/env node
/**
 * `npm run build` (run by `npm ci`/`npm install` through `prepare`): compiles the CLI's TypeScript
 * to ES modules in dist/ with esbuild, so the CLI starts without transpiling. Every command module
 * is its own chunk (code splitting on the `import()` per command), npm packages stay external, and
 * source maps point back at the TypeScript. dist/build-inputs.json records each source file's
 * mtime and size: bin/sparsegauge.js compares them to tell a stale build (see README, "Build").
 */
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist');
/** Entry points: the CLI and every module started as a worker thread. */
export const ENTRY_POINTS = ['scripts/cli.ts', 'scripts/lib/batch/worker.ts'];

/**
 * npm packages stay in node_modules, except yaml: every evaluate parses YAML, and one bundled copy
 * of its ES module build loads much faster than the ~50 CommonJS files of its Node build.
 */
const externalPackagesExceptYaml = {
  name: 'external-packages-except-yaml',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === 'yaml') return { path: join(ROOT, 'node_modules/yaml/browser/index.js') };
      return { path: args.path, external: true };
    });
  },
};

export async function buildDist({ quiet = false } = {}) {
  let build;
  try {
    ({ build } = await import('esbuild'));
  } catch {
    // Installed without devDependencies: the CLI then runs the sources through tsx (and says so).
    console.warn('sparsegauge: esbuild is not installed, dist/ not built');
    return null;
  }
  rmSync(OUT, { recursive: true, force: true });
  const started = performance.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: OUT,
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackagesExceptYaml],
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs).sort()) {
    const s = statSync(join(ROOT, file));
    inputs[file] = [s.mtimeMs, s.size];
  }
  writeFileSync(join(OUT, 'build-inputs.json'), JSON.stringify({ inputs }) + '\n');
  writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile) + '\n');
  if (!quiet) console.log(`sparsegauge: built ${relative(ROOT, OUT)}/ from ${Object.keys(inputs).length} sources in ${Math.round(performance.now() - started)} ms`);
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildDist();
