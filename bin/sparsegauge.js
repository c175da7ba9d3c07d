#!/usr/bin/env node
// Entry point for `npx sparsegauge`: runs the CLI precompiled in dist/ (`npm run build`, run by
// `npm ci` through `prepare`). dist/build-inputs.json records the mtime and size of every file the
// build read; if one differs (sources edited, pulled or checked out since), the build is stale:
// say so on one line and run the TypeScript sources through tsx instead, never stale code.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

/** Why dist/ cannot be used, or null when it matches the sources. */
function staleBuild() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(new URL('dist/build-inputs.json', root), 'utf8')).inputs;
  } catch {
    return 'there is no build in dist/';
  }
  for (const file in inputs) {
    const [mtimeMs, size] = inputs[file];
    let s;
    try {
      s = statSync(new URL(file, root));
    } catch {
      return `dist/ was built from ${file}, which is gone`;
    }
    if (s.mtimeMs !== mtimeMs || s.size !== size) return `${file} changed after the last build`;
  }
  return null;
}

/**
 * A stack trace with dist/ positions replaced by TypeScript ones, read from the build's source
 * maps only when an internal error is printed (user errors never print a stack, and enabling
 * source maps up front would parse them on every run).
 */
async function typescriptStack(stack) {
  const { SourceMap } = await import('node:module');
  const maps = new Map();
  return stack.replace(/(file:\/\/\S+?\/dist\/\S+?\.js):(\d+):(\d+)/g, (whole, url, line, column) => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(new URL(`${url}.map`), 'utf8'))));
      } catch {
        maps.set(url, null);
      }
    }
    const entry = maps.get(url)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry?.originalSource) return whole;
    return `${fileURLToPath(new URL(entry.originalSource, url))}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

const stale = staleBuild();
let cli;
if (stale === null) {
  cli = await import('../dist/scripts/cli.js');
} else {
  console.error(`sparsegauge: ${stale}; running the TypeScript sources through tsx (slower; \`npm run build\` to fix)`);
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../scripts/cli.ts');
}
try {
  process.exitCode = await cli.main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error && e.stack ? await typescriptStack(e.stack) : e);
  process.exitCode = 1;
}
