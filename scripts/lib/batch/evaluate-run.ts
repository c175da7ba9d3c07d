/**
 * One `evaluate` run as a pure function of plain data: inputs (a run dir, or spec files) and
 * options → the result JSON text and its one-line summary, or the user error as one line. The same
 * function serves single runs, batches in one process and batches spread over worker threads, so
 * their results are identical by construction.
 */
import { statSync } from 'node:fs';
import { evaluate } from '../../../engine/index.ts';
import { formatError, isSparsegaugeError } from '../../../engine/errors.ts';
import { loadRunDir, loadSpecFiles, type LoadOptions } from '../../../engine/input/load.ts';
import type { FixId } from '../../../engine/options.ts';
import type { CompatMode, Result } from '../../../engine/result/schema.ts';
import type { Spec } from '../../../engine/input/types.ts';
import { toJsonText } from '../stats/write-json.ts';

export interface EvaluateTask {
  /** One run dir, or spec files. */
  inputs: string[];
  vars: Record<string, string>;
  compat: CompatMode;
  disabledFixes: FixId[];
  /** Refuse every key the model does not read. */
  strict?: boolean;
}

export type EvaluateOutcome = { ok: true; text: string; summary: string; warnings: string[] } | { ok: false; error: string };

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function loadInputs(inputs: string[], options: LoadOptions): Spec {
  return inputs.length === 1 && isDirectory(inputs[0]) ? loadRunDir(inputs[0], options) : loadSpecFiles(inputs, options);
}

export function humanSummary(r: Result): string {
  const s = r.summary;
  return [
    `cycles ${s.cycles}`,
    `energy ${s.energy.toFixed(2)} uJ`,
    `actual computes ${r.arithmetic.stats.actualComputes}`,
    `utilization ${s.utilization.toFixed(2)}`,
    `compat ${r.meta.compat}`,
  ].join(', ');
}

/** Throws only for internal errors (bugs); a user error is an outcome. */
export function evaluateTask(task: EvaluateTask, readSource?: LoadOptions['readSource']): EvaluateOutcome {
  try {
    const spec = loadInputs(task.inputs, { vars: task.vars, strict: task.strict, readSource });
    const result = evaluate(spec, { compat: task.compat, disabledFixes: task.disabledFixes });
    return { ok: true, text: toJsonText(result), summary: humanSummary(result), warnings: result.meta.warnings ?? [] };
  } catch (e) {
    if (isSparsegaugeError(e)) return { ok: false, error: formatError(e) };
    throw e;
  }
}
