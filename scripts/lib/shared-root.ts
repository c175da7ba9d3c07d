/**
 * Where the reference data lives: `../shared` beside the repository (never inside it), or the
 * folder named by the environment variable SPARSEGAUGE_SHARED. Manifests write reference roots as
 * `../shared/...`; every path under `../shared` is resolved through here, so pointing the variable at
 * an empty or absent folder runs everything as a fresh clone without the artifact would (CI does).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';

export const SHARED_ENV = 'SPARSEGAUGE_SHARED';

export function sharedRoot(root: string = REPO_ROOT): string {
  const given = process.env[SHARED_ENV];
  return given ? resolve(given) : resolve(root, '..', 'shared');
}

/** `path` (relative to the repository root) resolved, with `../shared` standing for sharedRoot(). */
export function resolveFromRoot(path: string, root: string = REPO_ROOT): string {
  const plain = resolve(root, path);
  const fromShared = relative(resolve(root, '..', 'shared'), plain);
  const underShared = fromShared === '' || (!fromShared.startsWith('..') && !isAbsolute(fromShared));
  return underShared ? resolve(sharedRoot(root), ...fromShared.split(sep).filter(Boolean)) : plain;
}
