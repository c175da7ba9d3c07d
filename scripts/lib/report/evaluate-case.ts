/**
 * Evaluating a golden case: load the project's own spec (the manifest's and the case's `spec:`
 * files with the case's template variables) or the reference run dir's inputs unchanged, and run
 * the engine in the compat mode the case records. Engine and loader failures come back as values,
 * so one broken case does not hide the others in a report.
 */
import { evaluate } from '../../../engine/index.ts';
import { loadRunDir, loadSpecFiles, type LoadOptions } from '../../../engine/input/load.ts';
import { formatError, isSparsegaugeError, SparsegaugeError } from '../../../engine/errors.ts';
import { describeError } from './describe-error.ts';
import type { FixId } from '../../../engine/options.ts';
import type { Result } from '../../../engine/result/schema.ts';
import type { Spec } from '../../../engine/input/types.ts';
import type { GoldenCase, Manifest } from './manifest.ts';

/** A failure's `error` is the one-line message; `reason` is its `kind error in field: message` part (no file or position). */
export type Outcome = { ok: true; result: Result } | { ok: false; error: string; reason: string; positioned: boolean };

export async function loadCaseSpec(manifest: Manifest, c: GoldenCase, load: Pick<LoadOptions, 'readSource'> = {}): Promise<Spec> {
  if (c.spec.length === 0) {
    throw new SparsegaugeError('schema', `neither the manifest nor case '${c.id}' has a \`spec:\` list of the project spec files`, { file: manifest.file, field: 'spec' });
  }
  return await loadSpecFiles(c.spec, { ...load, vars: c.vars });
}

/** The reference run dir's own inputs; only for a manifest with `reference_inputs: true`. */
export async function loadReferenceSpec(c: GoldenCase): Promise<Spec> {
  return await loadRunDir(c.referenceDir);
}

export async function evaluateSpec(spec: Spec, c: GoldenCase, disabledFixes: readonly FixId[] = []): Promise<Result> {
  return await evaluate(spec, { compat: c.compat, disabledFixes });
}

/**
 * Project spec + engine, errors captured as a one-line message. A pure function of its arguments
 * (`load.readSource` may share parsed files), so validate can run cases in worker threads.
 */
export async function evaluateCase(manifest: Manifest, c: GoldenCase, disabledFixes: readonly FixId[] = [], load: Pick<LoadOptions, 'readSource'> = {}): Promise<Outcome> {
  try {
    return { ok: true, result: await evaluateSpec(await loadCaseSpec(manifest, c, load), c, disabledFixes) };
  } catch (e) {
    return failedOutcome(e);
  }
}

export function failedOutcome(e: unknown): Outcome {
  const error = describeError(e);
  if (!isSparsegaugeError(e)) return { ok: false, error, reason: error, positioned: false };
  const reason = formatError(new SparsegaugeError(e.kind, e.message, { field: e.field }));
  return { ok: false, error, reason, positioned: e.file !== undefined && e.position !== undefined };
}
