/**
 * Every suite's golden cases, read at collection time so test names can be generated from them.
 * No engine import here: report tests use golden data alone (evaluation lives in evaluation.ts).
 */
import type { Result } from '../../engine/result/schema.ts';
import { describeError } from '../../scripts/lib/report/describe-error.ts';
import { loadGolden } from '../../scripts/lib/report/golden.ts';
import { caseLabel, findManifestFiles, loadManifest, type GoldenCase, type Manifest } from '../../scripts/lib/report/manifest.ts';

export interface LoadedCase {
  c: GoldenCase;
  /** null for a case the reference refuses (no golden file), or when the golden file is missing or unreadable (then `goldenError` says why). */
  golden: Result | null;
  goldenError?: string;
}

export interface LoadedSuite {
  manifest: Manifest;
  cases: LoadedCase[];
}

/** Every suite, or only the one named `only` (its golden files are the only ones read). */
export function loadSuites(only?: string): LoadedSuite[] {
  return findManifestFiles().flatMap((file) => {
    const manifest = loadManifest(file);
    if (only !== undefined && manifest.suite !== only) return [];
    return {
      manifest,
      cases: manifest.cases.map((c) => {
        if (c.expect === 'refused') return { c, golden: null };
        try {
          return { c, golden: loadGolden(c) };
        } catch (e) {
          return { c, golden: null, goldenError: describeError(e) };
        }
      }),
    };
  });
}

/** Describe name of a case: label and the compat mode it is evaluated in, e.g. `conv3 sparse [micro22]`. */
export function caseTitle(c: GoldenCase): string {
  return `${caseLabel(c)} [${c.compat}]`;
}
