/**
 * One case of a status suite (golden/corpus), everything the status report shows about it: our
 * evaluation and its verdict against the reference build, and how the outputs published with the
 * run folder compare with that reference. A function of the case alone (it reads only the case's
 * own files), so cases can be run in any order or in parallel.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Result } from '../../../engine/result/schema.ts';
import type { LoadOptions } from '../../../engine/input/load.ts';
import { importStats } from '../stats/import-stats.ts';
import { caseVerdict, type CaseVerdict } from './case-status.ts';
import { describeError } from './describe-error.ts';
import { evaluateCase, type Outcome } from './evaluate-case.ts';
import { loadGolden } from './golden.ts';
import { REPO_ROOT, type GoldenCase, type Manifest } from './manifest.ts';
import type { CompareFn } from './model.ts';

/** The published outputs against the reference build's (`ref/` against `public-0424956/`). */
export type PublishedComparison =
  | { kind: 'none' }
  | { kind: 'unread'; file: string; error: string }
  | { kind: 'reference-refuses'; file: string; layout: string }
  | { kind: 'compared'; file: string; layout: string; compared: number; outside: string[] };

export interface StatusRun {
  c: GoldenCase;
  golden: Result | null;
  outcome: Outcome;
  verdict: CaseVerdict;
  published: PublishedComparison;
  ms: number;
}

function layoutName(r: Result): string {
  return r.meta.statsLayout ?? r.meta.statsFormat;
}

export function comparePublished(manifest: Manifest, c: GoldenCase, golden: Result | null, compare: CompareFn): PublishedComparison {
  const stats = manifest.publishedStats.map((p) => join(c.referenceDir, p)).find((p) => existsSync(p));
  if (!stats) return { kind: 'none' };
  const file = stats.slice(c.referenceDir.length + 1);
  const xml = stats.replace(/stats\.txt$/, 'map+stats.xml');
  let published: Result;
  try {
    published = importStats({ statsPath: stats, xmlPath: existsSync(xml) ? xml : undefined, compat: c.compat, displayName: (p) => p.slice(dirname(c.referenceDir).length + 1) });
  } catch (e) {
    return { kind: 'unread', file, error: describeError(e) };
  }
  if (!golden) return { kind: 'reference-refuses', file, layout: layoutName(published) };
  const { compared, outside } = compare(published, golden);
  return { kind: 'compared', file, layout: layoutName(published), compared, outside: outside.map((d) => d.path) };
}

/** Messages name files by absolute path; reports name them relative to the repository, as the manifest does. */
function relativePaths(o: Outcome): Outcome {
  if (o.ok) return o;
  const shown = (s: string) => s.split(`${dirname(REPO_ROOT)}/`).join('../');
  return { ...o, error: shown(o.error), reason: shown(o.reason) };
}

export async function runStatusCase(manifest: Manifest, c: GoldenCase, compare: CompareFn, load: Pick<LoadOptions, 'readSource'> = {}): Promise<StatusRun> {
  const started = performance.now();
  const golden = c.expect === 'exact' ? loadGolden(c) : null;
  const outcome = relativePaths(await evaluateCase(manifest, c, [], load));
  const ms = performance.now() - started;
  const verdict = caseVerdict(manifest, c, golden, outcome, compare);
  return { c, golden, outcome, verdict, published: comparePublished(manifest, c, golden, compare), ms };
}
