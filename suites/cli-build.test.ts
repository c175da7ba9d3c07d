/**
 * The compiled CLI (dist/, built by the globalSetup as `npm ci` builds it) loads per command only
 * what that command needs: the module graph a command statically imports is read from esbuild's
 * metafile, so a static import of report, bench, XML or template code on the evaluate path fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/lib/repo-root.ts';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}

const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;

/** Source files and npm packages loaded, before any further `import()`, by the output of `entry`. */
function staticGraph(entry: string): { sources: string[]; packages: string[] } {
  const start = Object.keys(meta.outputs).find((o) => meta.outputs[o].entryPoint === entry);
  if (!start) throw new Error(`no output for ${entry}`);
  const sources = new Set<string>();
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const input of Object.keys(meta.outputs[output].inputs)) sources.add(input.replace(/^node_modules\/([^/]+)\/.*/, '$1'));
    for (const imp of meta.outputs[output].imports) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) packages.add(imp.path);
      else visit(imp.path);
    }
  };
  visit(start);
  return { sources: [...sources], packages: [...packages] };
}

describe('lazy loading per command', () => {
  it('the CLI entry loads no command module until one is run', () => {
    const { sources } = staticGraph('scripts/cli.ts');
    expect(sources.filter((s) => s.startsWith('scripts/commands/') || s.startsWith('engine/input/'))).toEqual([]);
  });

  it('evaluate loads the engine and yaml, no report/bench/import/XML/template code', () => {
    const { sources, packages } = staticGraph('scripts/commands/evaluate.ts');
    expect(sources).toContain('engine/index.ts');
    expect(sources).toContain('yaml');
    const foreign = sources.filter((s) => /^scripts\/(lib\/(report|bench|stats\/(?!write-json))|commands\/(?!evaluate))/.test(s));
    expect(foreign).toEqual([]);
    expect(packages.filter((p) => ['nunjucks', 'fast-xml-parser', 'tinybench', 'chalk', 'csv-parse'].includes(p))).toEqual([]);
  });

  it('bench and validate do load their own modules (the graph walk sees static imports)', () => {
    expect(staticGraph('scripts/commands/bench.ts').packages).toContain('tinybench');
    expect(staticGraph('scripts/commands/validate.ts').sources).toContain('scripts/lib/report/render.ts');
  });
});
