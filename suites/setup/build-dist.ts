/**
 * vitest globalSetup: rebuild dist/ once before the suites, so the suites that run the CLI as a
 * process (bin/sparsegauge.js) run the current sources, compiled as users run them.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], { stdio: ['ignore', 'ignore', 'inherit'] });
}
